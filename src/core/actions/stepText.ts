import type { StepRecord } from '../memory/types';
import { headAndTail } from '../text/outputCapture';

/** Compact text views of research-log steps, for Reflection and Retrieval from Research Log. */

/** One line of whitespace-collapsed text, cut to `max` characters. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export interface StepTextLimits {
  thoughtChars: number;
  observationChars: number;
}

/** "Step 3: Execute Script {…}\nThought: …\nObservation: …" */
export function compactStep(record: StepRecord, limits: StepTextLimits): string {
  const { action, actionInput, thought } = record.response;
  const inputText = oneLine(JSON.stringify(actionInput ?? {}), 300);
  return [
    `Step ${record.step}: ${action} ${inputText}`,
    `Thought: ${oneLine(thought, limits.thoughtChars)}`,
    `Observation: ${headAndTail(record.observation.trim(), limits.observationChars)}`,
  ].join('\n');
}

/**
 * The latest steps that fit in `maxChars` (oldest first), with a note on the earlier ones left out.
 */
export function recentSteps(steps: readonly StepRecord[], maxChars: number, limits: StepTextLimits): string {
  const kept: string[] = [];
  let used = 0;
  for (let i = steps.length - 1; i >= 0; i--) {
    const text = compactStep(steps[i], limits);
    if (used + text.length > maxChars && kept.length > 0) break;
    kept.unshift(text);
    used += text.length + 2;
  }
  const left = steps.length - kept.length;
  const note = left > 0 ? `(${left} earlier steps are left out)\n\n` : '';
  return note + kept.join('\n\n');
}

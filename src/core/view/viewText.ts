import type { PlanPart } from '../../shared/viewModels';

/** Text helpers of the sidebar's view models: plan highlights, one-line summaries, metric reading. */

const INPUT_SUMMARY_CHARS = 160;
const OBSERVATION_SUMMARY_CHARS = 280;

/** Splits a Research Plan and Status into plain parts and the `**bold**` (newest) parts. */
export function planParts(plan: string): PlanPart[] {
  const parts: PlanPart[] = [];
  const bold = /\*\*([\s\S]+?)\*\*/g;
  let last = 0;
  for (const match of plan.matchAll(bold)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ text: plan.slice(last, start), fresh: false });
    parts.push({ text: match[1], fresh: true });
    last = start + match[0].length;
  }
  if (last < plan.length) parts.push({ text: plan.slice(last), fresh: false });
  return parts;
}

/** An action input in one short line: `key: value, key: value`. */
export function summarizeInput(input: Record<string, unknown>): string {
  const text = Object.entries(input)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ')
    .replace(/\s+/g, ' ');
  return clip(text, INPUT_SUMMARY_CHARS);
}

/** The start of an observation; long ones keep their first line and their last two (where results print). */
export function summarizeObservation(observation: string): string {
  const lines = observation.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const kept = lines.length <= 3 ? lines : [lines[0], '…', ...lines.slice(-2)];
  return clip(kept.join('\n'), OBSERVATION_SUMMARY_CHARS);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The last `<metric>: <number>` (or `=`) an output prints, case-insensitive: `test MAE: 46.265`
 * for the metric "mae". Null when the output never prints it.
 */
export function metricFromOutput(output: string, metric: string): number | null {
  const name = escapeRegExp(metric.trim());
  if (!name) return null;
  const pattern = new RegExp(`(?<![A-Za-z0-9_])${name}\\s*[:=]\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)`, 'gi');
  let found: number | null = null;
  for (const match of output.matchAll(pattern)) {
    const value = Number(match[1]);
    if (Number.isFinite(value)) found = value;
  }
  return found;
}

import type { ActionDef } from '../actions/action';
import { describeActions, formatInstructions } from '../format/instructions';
import type { ChatMessage } from '../llm/types';
import type { StepRecord } from '../memory/types';
import { clip } from '../../shared/text';

/**
 * The planner's prompt, ordered for provider-side prompt caching: what never changes first
 * (persona, rules, action menu, task), then the research-log summary (it only grows), then the
 * recent steps (appended one by one). Consecutive calls therefore share a long byte-identical prefix.
 */

const PLANNER_PERSONA = `You are a planner solving machine-learning research tasks. You work in a workspace of files by choosing one action at a time; each action returns an observation. You do not know anything about the task beyond what the observations tell you.

Rules:
- First come up with a high-level research plan, then follow it and revise it as you learn.
- Measure a baseline before changing anything, and measure again after every change.
- Confirm every claim by an observation before you rely on it; never guess results of runs.
- Prefer small, verifiable edits. Keep within the workspace. Do not install packages.
- Give the Final Answer once the goal is reached or no further progress is possible.`;

export const OBSERVATION_TRAILER = 'Respond with your next step in the required format.';

export function plannerSystemPrompt(menu: readonly ActionDef[]): string {
  return `${PLANNER_PERSONA}\n\nYou can use these actions:\n\n${describeActions(menu)}\n\n${formatInstructions()}`;
}

export function taskMessage(goal: string, summaryLines: readonly string[], experimentRows: readonly string[] = []): string {
  const parts = [`Research problem:\n${goal.trim()}`];
  if (experimentRows.length > 0) {
    parts.push(
      `Experiments (every script run so far, as measured; later runs are named under their output):\n${experimentRows.join('\n')}`,
    );
  }
  if (summaryLines.length > 0) {
    parts.push(`Research log, earlier steps (use Retrieval from Research Log for details):\n${summaryLines.join('\n')}`);
  }
  return parts.join('\n\n');
}

/** A past step as the planner sees it: its own answer, then the observation. */
export function renderStep(step: StepRecord, cutObservation: (text: string) => string): ChatMessage[] {
  const r = step.response;
  const answer = [
    `Reflection: ${r.reflection}`,
    `Research Plan and Status: ${r.researchPlan}`,
    `Fact Check: ${r.factCheck}`,
    `Thought: ${r.thought}`,
    `Action: ${r.action}`,
    `Action Input: ${JSON.stringify(r.actionInput)}`,
  ].join('\n');
  const observation = `Observation (step ${step.step}):\n${cutObservation(step.observation)}\n\n${OBSERVATION_TRAILER}`;
  return [
    { role: 'assistant', content: answer },
    { role: 'user', content: observation },
  ];
}

/** One line per step for the research-log summary. */
export function summaryLine(step: StepRecord): string {
  const input = Object.values(step.response.actionInput)
    .map((v) => String(v))
    .join(', ');
  const observation = step.observation.replace(/\s+/g, ' ').trim();
  return `Step ${step.step}: ${step.response.action} (${clip(input, 60)}) -> ${clip(observation, 110)}`;
}

import type { ActionDef } from '../actions/action';
import { experimentsTable } from '../experiments/table';
import type { ExperimentRecord } from '../experiments/types';
import type { ChatMessage } from '../llm/types';
import type { StepRecord } from '../memory/types';
import { plannerSystemPrompt, renderStep, summaryLine, taskMessage, OBSERVATION_TRAILER } from './plannerPrompt';

/** How the planner's context is bounded. */
export interface ContextLimits {
  /** steps always shown in full */
  recentSteps: number;
  /** steps folded into the summary at once (folding in batches keeps the prefix stable between folds) */
  foldBatch: number;
  /** summary lines kept; older ones are dropped in one go when the summary overflows */
  maxSummaryLines: number;
  /** observations longer than this are cut to head and tail */
  maxObservationChars: number;
}

export const DEFAULT_LIMITS: ContextLimits = { recentSteps: 3, foldBatch: 3, maxSummaryLines: 12, maxObservationChars: 5000 };

/**
 * Index of the first step shown in full: it advances `foldBatch` steps at a time, so between folds
 * each new prompt only appends to the previous one. At least `recentSteps` steps stay in view.
 */
export function firstVisibleStep(stepCount: number, limits: ContextLimits): number {
  const overflow = stepCount - limits.recentSteps;
  if (overflow < limits.foldBatch) return 0;
  return Math.floor(overflow / limits.foldBatch) * limits.foldBatch;
}

/**
 * Summary lines of the folded steps. When they overflow, the oldest are dropped in blocks of half the
 * limit, so the summary changes by appending most of the time.
 */
export function summaryOf(folded: readonly StepRecord[], limits: ContextLimits): string[] {
  const lines = folded.map(summaryLine);
  if (lines.length <= limits.maxSummaryLines) return lines;
  const block = Math.ceil(limits.maxSummaryLines / 2);
  const dropped = Math.ceil((lines.length - limits.maxSummaryLines) / block) * block;
  return [`(${dropped} earlier steps omitted)`, ...lines.slice(dropped)];
}

/** What the planner is told about the run so far. */
export interface PlannerHistory {
  goal: string;
  steps: readonly StepRecord[];
  /** every experiment so far; those of folded steps (and the baseline) go into the Experiments table */
  experiments?: readonly ExperimentRecord[];
}

export function buildPlannerMessages(
  history: PlannerHistory,
  menu: readonly ActionDef[],
  cutObservation: (text: string) => string,
  limits: ContextLimits = DEFAULT_LIMITS,
): ChatMessage[] {
  const { goal, steps } = history;
  const first = firstVisibleStep(steps.length, limits);
  const lastFolded = first > 0 ? steps[first - 1].step : 0;
  const table = experimentsTable((history.experiments ?? []).filter((e) => e.step <= lastFolded));
  const messages: ChatMessage[] = [
    { role: 'system', content: plannerSystemPrompt(menu) },
    {
      role: 'user',
      content:
        taskMessage(goal, summaryOf(steps.slice(0, first), limits), table) + (steps.length === first ? `\n\n${OBSERVATION_TRAILER}` : ''),
    },
  ];
  for (const step of steps.slice(first)) messages.push(...renderStep(step, cutObservation));
  return messages;
}

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

/** A note the user wrote for the planner, for the prompt of `step`. */
export interface UserNote {
  step: number;
  text: string;
}

/** What the planner is told about the run so far. */
export interface PlannerHistory {
  goal: string;
  steps: readonly StepRecord[];
  /** every experiment so far; those of folded steps (and the baseline) go into the Experiments table */
  experiments?: readonly ExperimentRecord[];
  /** the user's notes so far; each joins the prompt of its step and stays where it was put */
  notes?: readonly UserNote[];
  /** told before the step being planned (files changed on disk); the steps done keep theirs in their record */
  notice?: string;
}

/**
 * The planner's messages. What the planner was told before a step (a notice, the user's notes) closes
 * the user message in front of that step's answer, where it was put when that step was planned, so a
 * prompt still only appends to the one before it. Notes of folded steps go with the task.
 */
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
  const visible = steps.slice(first);
  // the steps shown, then the one being planned: what was said before each
  const next = [...visible.map((s) => ({ step: s.step, notice: s.notice })), { step: nextStep(steps), notice: history.notice }];
  const folded = (history.notes ?? []).filter((n) => n.step < next[0].step).map(userNoteText);
  const task =
    taskMessage(goal, summaryOf(steps.slice(0, first), limits), table) +
    (visible.length === 0 ? `\n\n${OBSERVATION_TRAILER}` : '') +
    folded.map((note) => `\n\n${note}`).join('') +
    toldBefore(history, next[0].step, next[0].notice);
  const messages: ChatMessage[] = [
    { role: 'system', content: plannerSystemPrompt(menu) },
    { role: 'user', content: task },
  ];
  visible.forEach((step, i) => {
    const [answer, observation] = renderStep(step, cutObservation);
    const after = next[i + 1];
    messages.push(answer, { ...observation, content: observation.content + toldBefore(history, after.step, after.notice) });
  });
  return messages;
}

function nextStep(steps: readonly StepRecord[]): number {
  return (steps.at(-1)?.step ?? 0) + 1;
}

/** The notice and the user's notes of a step, each as a paragraph of its own ('' when there are none). */
function toldBefore(history: PlannerHistory, step: number, notice: string | undefined): string {
  const notes = (history.notes ?? []).filter((n) => n.step === step).map(userNoteText);
  return [...(notice ? [notice] : []), ...notes].map((text) => `\n\n${text}`).join('');
}

export function userNoteText(note: UserNote): string {
  return `Note from the user (step ${note.step}): ${note.text}`;
}

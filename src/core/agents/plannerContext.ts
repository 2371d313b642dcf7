import type { ActionDef } from '../actions/action';
import { experimentRow, experimentsTable } from '../experiments/table';
import type { ExperimentRecord } from '../experiments/types';
import type { ChatMessage } from '../llm/types';
import { cutObservation } from '../memory/observationView';
import type { StepRecord } from '../memory/types';
import {
  experimentsSection,
  expertSystemPrompt,
  foldedLogSection,
  lifelineOffer,
  OBSERVATION_TRAILER,
  planSection,
  plannerSystemPrompt,
  RECENT_STEPS_HEADING,
  renderStep,
  summaryLine,
  summarySection,
  taskMessage,
} from './plannerPrompt';

/** How the planner's context is bounded. */
export interface ContextLimits {
  /** steps always shown (Thought, Action, Action Input and observation) */
  recentSteps: number;
  /** steps folded into the summary at once (folding in batches keeps the prefix stable between folds) */
  foldBatch: number;
  /** summary lines kept; older ones are dropped in one go when the summary overflows */
  maxSummaryLines: number;
  /** rows of the Experiments table kept; the earliest after the baseline are dropped in blocks beyond it */
  maxTableRows: number;
  /** characters of a recent step's observation in the planner's prompt, the end kept */
  observationChars: number;
  /** characters of the last step's observation in the expert's compact context */
  expertObservationChars: number;
  /** summary lines of the steps before the last in the expert's compact context (at least 2) */
  expertSummaryLines: number;
}

export const DEFAULT_LIMITS: ContextLimits = {
  recentSteps: 2,
  foldBatch: 3,
  maxSummaryLines: 6,
  maxTableRows: 5,
  observationChars: 2000,
  expertObservationChars: 1000,
  expertSummaryLines: 4,
};

/** Leading characters of an observation kept in a prompt (the status line and a header or two). */
const OBSERVATION_HEAD_CHARS = 300;

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
 * The folded part of the run, oldest first and append-only between the rare drops: the baseline's
 * experiments, then per folded step its summary line with its experiments and the user's notes under
 * it. Beyond `maxSummaryLines` steps the oldest lose their lines in blocks of half the limit; their
 * experiments and notes stay, so no measured result leaves the planner's context.
 */
export function foldedLog(history: PlannerHistory, folded: readonly StepRecord[], limits: ContextLimits): string[] {
  const experiments = (history.experiments ?? []).filter((e) => e.outcome !== 'declined');
  const under = (step: number) => [
    ...experiments.filter((e) => e.step === step).map((e) => `  ${experimentRow(e)}`),
    ...(history.notes ?? []).filter((n) => n.step === step).map((n) => `  ${userNoteText(n)}`),
  ];
  const baseline = experiments.filter((e) => e.step === 0).map(experimentRow);
  const kept = keptSteps(folded, limits.maxSummaryLines);
  const omitted = folded.slice(0, folded.length - kept.length);
  const omittedLines = omitted.length > 0 ? [omissionLine(omitted), ...omitted.flatMap((s) => under(s.step))] : [];
  return [...baseline, ...omittedLines, ...kept.flatMap((s) => [summaryLine(s), ...under(s.step)])];
}

function omissionLine(omitted: readonly StepRecord[]): string {
  const [first, last] = [omitted[0].step, omitted[omitted.length - 1].step];
  return `Steps ${first}-${last} (lines omitted; their experiments and notes below):`;
}

/** The folded steps kept: all up to `max`, beyond it the newest, dropping the oldest in blocks of half of `max`. */
function keptSteps(folded: readonly StepRecord[], max: number): readonly StepRecord[] {
  if (folded.length <= max) return folded;
  const block = Math.ceil(max / 2);
  return folded.slice(Math.ceil((folded.length - max) / block) * block);
}

/**
 * Summary lines of the folded steps. When they overflow, the oldest are dropped in blocks of half the
 * limit, so the summary changes by appending most of the time.
 */
export function summaryOf(folded: readonly StepRecord[], maxLines: number): string[] {
  const lines = folded.map(summaryLine);
  if (lines.length <= maxLines) return lines;
  const block = Math.ceil(maxLines / 2);
  const dropped = Math.ceil((lines.length - maxLines) / block) * block;
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

/** The two views of the run for planning the next step, each for the menu the model is offered. */
export interface PlannerContexts {
  /** the planner's full context: every recent step */
  planner(menu: readonly ActionDef[]): ChatMessage[];
  /** the compact context for the expert model (an escalation or a lifeline) */
  expert(menu: readonly ActionDef[]): ChatMessage[];
}

export function plannerContexts(history: PlannerHistory, limits: ContextLimits = DEFAULT_LIMITS): PlannerContexts {
  return {
    planner: (menu) => buildPlannerMessages(history, menu, limits),
    expert: (menu) => buildExpertMessages(history, menu, limits),
  };
}

/**
 * The planner's messages: the system prompt and one user message. The message holds the task, the
 * Experiments table and the summary of folded steps, then each recent step (Thought, Action, Action
 * Input, its observation cut to `observationChars`), then the latest Research Plan and Status. What
 * the planner was told before a step (a notice, the user's notes) goes in front of that step, where
 * it was put when that step was planned; notes of folded steps go with the task. Between folds a
 * prompt therefore starts with the previous one up to its latest plan.
 */
export function buildPlannerMessages(
  history: PlannerHistory,
  menu: readonly ActionDef[],
  limits: ContextLimits = DEFAULT_LIMITS,
): ChatMessage[] {
  const { goal, steps } = history;
  const first = firstVisibleStep(steps.length, limits);
  const visible = steps.slice(first);
  const budget = { maxChars: limits.observationChars, headChars: OBSERVATION_HEAD_CHARS, thinRepeats: true };
  const upcoming = nextStep(steps);
  // the heading follows what was told before the first step shown, so a prompt still extends the one before
  const shown = visible.map(
    (s, i) =>
      toldBefore(history, s.step, s.notice) + (i === 0 ? RECENT_STEPS_HEADING : '') + renderStep(s, cutObservation(s.observation, budget)),
  );
  const content = [
    taskMessage(goal),
    foldedLogSection(foldedLog(history, steps.slice(0, first), limits)),
    ...shown,
    toldBefore(history, upcoming, history.notice),
    planSection(steps.at(-1)),
    lifelineOffer(menu),
    `\n\n${OBSERVATION_TRAILER}`,
  ].join('');
  return [
    { role: 'system', content: plannerSystemPrompt(menu) },
    { role: 'user', content },
  ];
}

/**
 * The expert's compact context: the persona, the menu and the format in short, the task, every experiment, one summary line
 * per step before the last, the latest Research Plan and Status, and the last step with its
 * observation cut to `expertObservationChars`. The expert answers in the same six entries.
 */
export function buildExpertMessages(
  history: PlannerHistory,
  menu: readonly ActionDef[],
  limits: ContextLimits = DEFAULT_LIMITS,
): ChatMessage[] {
  const { goal, steps } = history;
  const last = steps.at(-1);
  const budget = { maxChars: limits.expertObservationChars, headChars: OBSERVATION_HEAD_CHARS, thinRepeats: true };
  const upcoming = nextStep(steps);
  const notes = (history.notes ?? []).filter((n) => n.step < upcoming).map((n) => `\n\n${userNoteText(n)}`);
  const content = [
    taskMessage(goal),
    experimentsSection(experimentsTable(history.experiments ?? [], limits.maxTableRows)),
    summarySection(summaryOf(steps.slice(0, -1), limits.expertSummaryLines), 'Research log, one line per step'),
    ...notes,
    planSection(last),
    last ? `\n\nThe last step:${renderStep(last, cutObservation(last.observation, budget))}` : '',
    toldBefore(history, upcoming, history.notice),
    lifelineOffer(menu),
    `\n\n${OBSERVATION_TRAILER}`,
  ].join('');
  return [
    { role: 'system', content: expertSystemPrompt(menu) },
    { role: 'user', content },
  ];
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

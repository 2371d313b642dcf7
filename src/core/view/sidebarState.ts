import { emptySidebarView, type ArtifactKind, type SidebarView, type StepFailure, type TimelineEntry } from '../../shared/viewModels';
import { planParts } from '../../shared/planText';
import type { RunEvent } from '../events';
import { callEnded, callStarted, IDLE, nowOf, replyArrived, scriptEnded, scriptPrinted, scriptStarted, type Activity } from './activity';
import { replyThought } from './replyThought';
import {
  callBooked,
  callStartedAt,
  entryWithFacts,
  epochMs,
  noteTaken,
  stepObservedAt,
  stepStartedAt,
  timelineWithFacts,
  type StepFactsByStep,
} from './stepFacts';
import { parseFactCheck } from './factCheck';
import { metricsView } from './metricsView';
import { seenExperiment, type RunningExperiment, type SeenExperiment, type SeenScores, type SeenStep } from './types';
import { errorLine, summarizeInput, summarizeObservation } from './viewText';

/**
 * The sidebar's state, folded from a run's events; the same fold over the run's log.jsonl
 * (sidebarLog.ts) gives the same view, so the sidebar comes back unchanged after a window reload.
 */

export interface SidebarOptions {
  maxSteps: number;
  lifelinesTotal: number;
  /** the task's metric and direction, when known before the first score */
  metric?: string;
  higherIsBetter?: boolean;
  /** the run replays recorded model answers */
  replay?: boolean;
  /** the configured budget, shown before a run starts (a run's own comes with its start) */
  budgetUsd?: number;
}

/** The view plus what the view leaves out but later events are judged against. */
export interface SidebarState {
  view: SidebarView;
  /** every finished step's observation (the fact check's evidence) */
  seen: SeenStep[];
  /** what the calls fed so far cost (the ledger's total) */
  bookedUsd: number;
  /** every finished experiment */
  experiments: SeenExperiment[];
  /** the experiment running now, with the metrics it printed so far */
  running: RunningExperiment | null;
  scores: SeenScores;
  /** the metric the user chose to plot (null: the task's, else the most relevant) */
  chosenMetric: string | null;
  /** each step's start, end, cost and notes */
  stepFacts: StepFactsByStep;
  /** what runs this moment (live only: a log rebuilt after the run shows none) */
  activity: Activity;
}

/** An escalation from the log says at which step it happened. */
type Escalation = Extract<RunEvent, { type: 'escalation' }> & { step?: number };
/** A step rebuilt from the log may not know when it started. */
type StepStarted = Omit<Extract<RunEvent, { type: 'step-started' }>, 'at'> & { at?: number };
/** `at`: when the observation came (ms since the epoch); the log's step record has it, a live event without it is now. */
type Observation = Extract<RunEvent, { type: 'observation' }> & { at?: number };
export type SidebarInput =
  Exclude<RunEvent, { type: 'escalation' | 'step-started' | 'observation' }> | Escalation | StepStarted | Observation;

export function initialSidebar(options: SidebarOptions): SidebarState {
  const view = { ...emptySidebarView(options.lifelinesTotal, options.budgetUsd), replay: options.replay ?? false };
  const state: SidebarState = {
    view,
    seen: [],
    bookedUsd: 0,
    experiments: [],
    running: null,
    scores: { metric: null, higherIsBetter: null },
    chosenMetric: null,
    stepFacts: {},
    activity: IDLE,
  };
  return withMetrics(state, options);
}

export function reduceSidebar(state: SidebarState, input: SidebarInput, options: SidebarOptions): SidebarState {
  return withMetrics(fold(state, input, options), options);
}

function fold(state: SidebarState, input: SidebarInput, options: SidebarOptions): SidebarState {
  const { view } = state;
  switch (input.type) {
    case 'run-started':
      return runStarted(state, input, options);
    case 'step-started':
      return {
        ...withView(state, { run: view.run && { ...view.run, step: Math.max(view.run.step, input.step) } }),
        stepFacts: stepStartedAt(state.stepFacts, input.step, input.at),
      };
    case 'call-started':
      return callStartedFold(state, input);
    case 'reply-progress': {
      const fallback = { kind: 'model' as const, role: input.role, model: input.model, startedAt: Date.now(), thought: '' };
      return withActivity(state, replyArrived(state.activity, input.callId, fallback, replyThought(input.text)));
    }
    case 'user-note': {
      const stepFacts = noteTaken(state.stepFacts, input.step, input.text);
      return { ...withView(state, { timeline: timelineWithFacts(view.timeline, stepFacts, input.step) }), stepFacts };
    }
    case 'expert-quote':
      return withView(state, { cost: { ...view.cost, expertWorstCaseUsd: input.usd } });
    case 'paused':
    case 'continued':
      return pausedFold(state, input.type === 'paused');
    case 'script-output':
      return withActivity(state, scriptPrinted(state.activity, input.step, input.line));
    case 'planned':
      return planned(state, input);
    case 'observation':
      return observed(state, input);
    case 'call':
      return called(state, input);
    case 'spend':
      return withView(state, { cost: { ...view.cost, usd: input.usd, budgetUsd: input.budgetUsd, streaming: input.streaming } });
    case 'budget-warning':
      return withView(state, { cost: { ...view.cost, usd: input.usd, budgetUsd: input.budgetUsd } });
    case 'escalation': {
      const { type: _type, step, ...rest } = input;
      const escalation = { ...rest, step: step ?? view.run?.step };
      return withView(state, { cost: { ...view.cost, escalations: [...view.cost.escalations, escalation] } });
    }
    case 'lifeline':
      return withView(state, { cost: { ...view.cost, lifelinesLeft: input.left } });
    case 'score':
      return scored(state, input);
    case 'experiment-started': {
      const { command, startedAt, timeoutSec, step, where } = input;
      const script = { kind: 'script' as const, command, startedAt, lastLine: '', timeoutSec, step, ...(where ? { where } : {}) };
      const running = { id: input.id, step: input.step, kind: input.kind, metrics: {} };
      return withActivity({ ...state, running }, scriptStarted(state.activity, script));
    }
    case 'metric':
      return { ...state, running: printed(state.running, input) };
    case 'experiment':
      return withActivity(experimented(state, input.experiment), scriptEnded(state.activity));
    case 'verdict':
      return withView(state, {
        verdict: { ...input.verdict },
        unverifiedClaims: input.unverifiedClaims.map(({ text, value, where, context }) => ({ text, value, where, context })),
      });
    case 'warning':
      return state;
    case 'run-ended':
      return {
        ...withView(state, {
          run: view.run && { ...view.run, status: input.status, paused: false, ...(input.message ? { message: input.message } : {}) },
          cost: { ...view.cost, streaming: false },
          now: null,
        }),
        running: null,
        activity: IDLE,
      };
  }
}

function withView(state: SidebarState, changes: Partial<SidebarView>): SidebarState {
  return { ...state, view: { ...state.view, ...changes } };
}

/** What runs changed: the "Now" line follows. */
function withActivity(state: SidebarState, activity: Activity): SidebarState {
  if (activity === state.activity) return state;
  return { ...withView(state, { now: nowOf(activity) }), activity };
}

/** A model call is sent: the "Now" line shows it; the first call of a step is the step's start. */
function callStartedFold(state: SidebarState, input: Extract<RunEvent, { type: 'call-started' }>): SidebarState {
  const at = epochMs(input.time);
  const now = { kind: 'model' as const, role: input.role, model: input.model, startedAt: at ?? Date.now(), thought: '' };
  const stepFacts = at === undefined ? state.stepFacts : callStartedAt(state.stepFacts, input.step, at);
  return withActivity({ ...state, stepFacts }, callStarted(state.activity, input.callId, now));
}

/** The run waits between steps until the user continues. */
function pausedFold(state: SidebarState, paused: boolean): SidebarState {
  const { run } = state.view;
  if (!run || run.status !== 'running') return state;
  const activity = { ...state.activity, paused: paused ? { kind: 'paused' as const, since: Date.now() } : null };
  return withActivity(withView(state, { run: { ...run, paused } }), activity);
}

/** The chart follows the experiments, the running one, the scores and the user's choice. */
function withMetrics(state: SidebarState, options: SidebarOptions): SidebarState {
  const { experiments, running, scores, seen, chosenMetric: chosen } = state;
  const runStep = state.view.run?.step ?? 0;
  const metrics = metricsView({
    experiments,
    running,
    scores,
    seen,
    chosen,
    runStep,
    metric: options.metric,
    higherIsBetter: options.higherIsBetter,
  });
  return withView(state, { metrics });
}

/** The user chose which metric to plot (null: back to the task's). */
export function withMetricChoice(state: SidebarState, metric: string | null, options: SidebarOptions): SidebarState {
  return withMetrics({ ...state, chosenMetric: metric }, options);
}

/** A new run starts from scratch; the same run, resumed, keeps what it showed but not its verdict. */
function runStarted(state: SidebarState, input: Extract<RunEvent, { type: 'run-started' }>, options: SidebarOptions): SidebarState {
  const resumed = state.view.run?.id === input.runId;
  const base = resumed ? { ...state, running: null, activity: IDLE } : initialSidebar(options);
  const step = Math.max(base.view.run?.step ?? 0, input.resumedFromStep);
  const run = { id: input.runId, goal: input.goal, status: 'running' as const, step, maxSteps: options.maxSteps, paused: false };
  const cost = { ...base.view.cost, budgetUsd: input.budgetUsd, streaming: false };
  return withView(base, { run, replay: input.replay ?? base.view.replay, cost, verdict: null, unverifiedClaims: [], now: null });
}

function planned(state: SidebarState, input: Extract<RunEvent, { type: 'planned' }>): SidebarState {
  const { view } = state;
  const changed = input.researchPlan !== view.plan.current;
  const plan = changed
    ? {
        current: input.researchPlan,
        parts: planParts(input.researchPlan),
        updatedAt: input.step,
        history: [...view.plan.history, { step: input.step, text: input.researchPlan }],
      }
    : view.plan;
  const seen = state.seen.filter((s) => s.step < input.step);
  const experiments = state.experiments.filter((e) => e.step < input.step);
  const entry: TimelineEntry = {
    step: input.step,
    action: input.action,
    input: summarizeInput(input.actionInput),
    observation: '',
    done: false,
    model: input.model,
    artifacts: [],
    usd: 0,
    notes: [],
  };
  const timeline = upsert(view.timeline, entryWithFacts(entry, state.stepFacts));
  return withView(state, { plan, factCheck: parseFactCheck(input.factCheck, seen, experiments), timeline });
}

function observed(state: SidebarState, input: Observation): SidebarState {
  const { view } = state;
  const stepFacts = stepObservedAt(state.stepFacts, input.step, input.at ?? Date.now());
  const artifacts: ArtifactKind[] = (['diff', 'output'] as const).filter((kind) => input.artifacts?.[kind]);
  const known = view.timeline.find((t) => t.step === input.step);
  const seen = [
    ...state.seen.filter((s) => s.step !== input.step),
    { step: input.step, action: input.action, observation: input.observation, artifacts },
  ];
  const entry: TimelineEntry = {
    step: input.step,
    action: input.action,
    input: known?.input ?? '',
    model: known?.model ?? '',
    observation: summarizeObservation(input.observation, input.action),
    done: true,
    artifacts,
    usd: 0,
    notes: [],
  };
  const timeline = upsert(view.timeline, entryWithFacts(withFailure(entry, state.experiments, input.observation), stepFacts));
  return { ...withView(state, { timeline }), seen, stepFacts };
}

function upsert(timeline: TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  return [...timeline.filter((t) => t.step !== entry.step), entry].sort((a, b) => a.step - b.step);
}

/** A booked call: the spend is exact again (no streaming estimate) and the call adds to its model and role. */
function called(state: SidebarState, input: Extract<RunEvent, { type: 'call' }>): SidebarState {
  const { view } = state;
  const bookedUsd = state.bookedUsd + input.usd;
  const add = (totals: Record<string, number>, key: string) => ({ ...totals, [key]: (totals[key] ?? 0) + input.usd });
  const cost = {
    ...view.cost,
    usd: bookedUsd,
    streaming: false,
    byModel: add(view.cost.byModel, input.model),
    byRole: add(view.cost.byRole, input.role),
  };
  const run = view.run && { ...view.run, step: Math.max(view.run.step, input.step) };
  const stepFacts = callBooked(state.stepFacts, input.step, input.usd);
  const timeline = timelineWithFacts(view.timeline, stepFacts, input.step);
  return withActivity(
    { ...state, bookedUsd, stepFacts, view: { ...view, cost, run, timeline } },
    callEnded(state.activity, input.callId, input.model),
  );
}

function scored(state: SidebarState, input: Extract<RunEvent, { type: 'score' }>): SidebarState {
  const scores: SeenScores = { ...state.scores, metric: input.metric, higherIsBetter: input.higherIsBetter ?? state.scores.higherIsBetter };
  if (input.score !== null) scores[input.label] = input.score;
  return { ...state, scores };
}

/** A metric line of the running experiment: its latest value per name. */
function printed(running: RunningExperiment | null, input: Extract<RunEvent, { type: 'metric' }>): RunningExperiment {
  const current =
    running?.id === input.experiment
      ? running
      : { id: input.experiment, step: input.step, kind: input.step === 0 ? ('baseline' as const) : ('execute' as const), metrics: {} };
  return { ...current, metrics: { ...current.metrics, [input.name]: input.value } };
}

/** A finished experiment replaces the running one; its step's timeline entry shows whether it failed. */
function experimented(state: SidebarState, record: Extract<RunEvent, { type: 'experiment' }>['experiment']): SidebarState {
  const experiments = [...state.experiments.filter((e) => e.id !== record.id), seenExperiment(record)];
  const running = state.running?.id === record.id ? null : state.running;
  const observation = (step: number) => state.seen.find((s) => s.step === step)?.observation ?? '';
  const timeline = state.view.timeline.map((t) => (t.step === record.step ? withFailure(t, experiments, observation(t.step)) : t));
  return { ...withView(state, { timeline }), experiments, running };
}

/** An Execute Script whose experiment failed or timed out is marked with its error line. */
function withFailure(entry: TimelineEntry, experiments: readonly SeenExperiment[], observation: string): TimelineEntry {
  const { failure: _previous, ...rest } = entry;
  const failure = failureOf(entry.step, experiments, observation);
  return failure ? { ...rest, failure } : rest;
}

function failureOf(step: number, experiments: readonly SeenExperiment[], observation: string): StepFailure | undefined {
  const experiment = experiments.filter((e) => e.kind === 'execute' && e.step === step).pop();
  if (!experiment || (experiment.outcome !== 'failed' && experiment.outcome !== 'timeout')) return undefined;
  const fallback = experiment.outcome === 'timeout' ? 'The script timed out.' : 'The script failed.';
  return { outcome: experiment.outcome, error: experiment.error ?? errorLine(observation) ?? fallback };
}

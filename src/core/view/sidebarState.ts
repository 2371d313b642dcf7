import { emptySidebarView, type ArtifactKind, type SidebarView, type StepFailure, type TimelineEntry } from '../../shared/viewModels';
import { planParts } from '../../shared/planText';
import type { RunEvent } from '../events';
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
}

/** An escalation from the log says at which step it happened. */
type Escalation = Extract<RunEvent, { type: 'escalation' }> & { step?: number };
export type SidebarInput = Exclude<RunEvent, { type: 'escalation' }> | Escalation;

export function initialSidebar(options: SidebarOptions): SidebarState {
  const view = { ...emptySidebarView(options.lifelinesTotal), replay: options.replay ?? false };
  const state: SidebarState = {
    view,
    seen: [],
    bookedUsd: 0,
    experiments: [],
    running: null,
    scores: { metric: null, higherIsBetter: null },
    chosenMetric: null,
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
      return withView(state, { run: view.run && { ...view.run, step: Math.max(view.run.step, input.step) } });
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
    case 'experiment-started':
      return { ...state, running: { id: input.id, step: input.step, kind: input.kind, metrics: {} } };
    case 'metric':
      return { ...state, running: printed(state.running, input) };
    case 'experiment':
      return experimented(state, input.experiment);
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
          run: view.run && { ...view.run, status: input.status, ...(input.message ? { message: input.message } : {}) },
          cost: { ...view.cost, streaming: false },
        }),
        running: null,
      };
  }
}

function withView(state: SidebarState, changes: Partial<SidebarView>): SidebarState {
  return { ...state, view: { ...state.view, ...changes } };
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
  const base = resumed ? { ...state, running: null } : initialSidebar(options);
  const step = Math.max(base.view.run?.step ?? 0, input.resumedFromStep);
  const run = { id: input.runId, goal: input.goal, status: 'running' as const, step, maxSteps: options.maxSteps };
  const cost = { ...base.view.cost, budgetUsd: input.budgetUsd, streaming: false };
  return withView(base, { run, replay: input.replay ?? base.view.replay, cost, verdict: null, unverifiedClaims: [] });
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
  };
  return withView(state, { plan, factCheck: parseFactCheck(input.factCheck, seen, experiments), timeline: upsert(view.timeline, entry) });
}

function observed(state: SidebarState, input: Extract<RunEvent, { type: 'observation' }>): SidebarState {
  const { view } = state;
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
  };
  return { ...withView(state, { timeline: upsert(view.timeline, withFailure(entry, state.experiments, input.observation)) }), seen };
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
  return { ...state, bookedUsd, view: { ...view, cost, run } };
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

/** Edits waiting for review are not run events: the host reports them. */
export function withPendingEdit(state: SidebarState, file: string | null): SidebarState {
  return withView(state, { pendingEdit: file === null ? null : { file } });
}

import { emptySidebarView, type ArtifactKind, type RunPhase, type SidebarView, type TimelineEntry } from '../../shared/viewModels';
import type { RunEvent } from '../events';
import type { CallRecord, LogRecord } from '../memory/researchLog';
import { parseFactCheck, type SeenStep } from './factCheck';
import { planParts } from '../../shared/planText';
import { metricFromOutput, summarizeInput, summarizeObservation } from './viewText';

/**
 * The sidebar's state, folded from a run's events; the same fold over the run's log.jsonl gives the
 * same view, so the sidebar comes back unchanged after a window reload.
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

/** The view plus what the view leaves out but the fact check needs: every observation so far. */
export interface SidebarState {
  view: SidebarView;
  seen: SeenStep[];
  /** what the calls fed so far cost (the ledger's total) */
  bookedUsd: number;
}

/** A model call as the log records it: live, the host reads these from log.jsonl as they are written. */
export type CallInput = Pick<CallRecord, 'type' | 'step' | 'role' | 'model' | 'usd'>;
type Escalation = Extract<RunEvent, { type: 'escalation' }> & { step?: number };
type Score = Extract<RunEvent, { type: 'score' }> & { higherIsBetter?: boolean };
export type SidebarInput = Exclude<RunEvent, { type: 'escalation' } | { type: 'score' }> | Escalation | Score | CallInput;

export function initialSidebar(options: SidebarOptions): SidebarState {
  const view = emptySidebarView(options.lifelinesTotal);
  view.replay = options.replay ?? false;
  view.metrics = { ...view.metrics, metric: options.metric ?? null, higherIsBetter: options.higherIsBetter ?? null };
  return { view, seen: [], bookedUsd: 0 };
}

export function reduceSidebar(state: SidebarState, input: SidebarInput, options: SidebarOptions): SidebarState {
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
    case 'run-ended':
      return withView(state, {
        run: view.run && { ...view.run, status: input.status, ...(input.message ? { message: input.message } : {}) },
        cost: { ...view.cost, streaming: false },
      });
  }
}

function withView(state: SidebarState, changes: Partial<SidebarView>): SidebarState {
  return { ...state, view: { ...state.view, ...changes } };
}

/** A new run starts from scratch; the same run, resumed, keeps what it showed. */
function runStarted(state: SidebarState, input: Extract<RunEvent, { type: 'run-started' }>, options: SidebarOptions): SidebarState {
  const resumed = state.view.run?.id === input.runId;
  const base = resumed ? state : initialSidebar(options);
  const step = Math.max(base.view.run?.step ?? 0, input.resumedFromStep);
  const run = { id: input.runId, goal: input.goal, status: 'running' as const, step, maxSteps: options.maxSteps };
  return withView(base, { run, replay: input.replay ?? base.view.replay, cost: { ...base.view.cost, budgetUsd: input.budgetUsd, streaming: false } });
}

function planned(state: SidebarState, input: Extract<RunEvent, { type: 'planned' }>): SidebarState {
  const { view } = state;
  const changed = input.researchPlan !== view.plan.current;
  const plan = changed
    ? { current: input.researchPlan, parts: planParts(input.researchPlan), updatedAt: input.step, history: [...view.plan.history, { step: input.step, text: input.researchPlan }] }
    : view.plan;
  const before = state.seen.filter((s) => s.step < input.step);
  const entry: TimelineEntry = { step: input.step, action: input.action, input: summarizeInput(input.actionInput), observation: '', done: false, model: input.model, artifacts: [] };
  return withView(state, { plan, factCheck: parseFactCheck(input.factCheck, before), timeline: upsert(view.timeline, entry) });
}

function observed(state: SidebarState, input: Extract<RunEvent, { type: 'observation' }>): SidebarState {
  const { view } = state;
  const artifacts: ArtifactKind[] = (['diff', 'output'] as const).filter((kind) => input.artifacts?.[kind]);
  const known = view.timeline.find((t) => t.step === input.step);
  const entry: TimelineEntry = { step: input.step, action: input.action, input: known?.input ?? '', model: known?.model ?? '', observation: summarizeObservation(input.observation, input.action), done: true, artifacts };
  const seen = [...state.seen.filter((s) => s.step !== input.step), { step: input.step, observation: input.observation, artifacts }];
  const score = input.action === 'Execute Script' && view.metrics.metric ? metricFromOutput(input.observation, view.metrics.metric) : null;
  const metrics = score === null ? view.metrics : { ...view.metrics, points: [...view.metrics.points, { step: input.step, score, source: 'observation' as const }] };
  return { ...state, view: { ...view, timeline: upsert(view.timeline, entry), metrics }, seen };
}

function upsert(timeline: TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  return [...timeline.filter((t) => t.step !== entry.step), entry].sort((a, b) => a.step - b.step);
}

/** A booked call: the spend is exact again (no streaming estimate) and the call adds to its model and role. */
function called(state: SidebarState, input: CallInput): SidebarState {
  const { view } = state;
  const bookedUsd = state.bookedUsd + input.usd;
  const add = (totals: Record<string, number>, key: string) => ({ ...totals, [key]: (totals[key] ?? 0) + input.usd });
  const cost = { ...view.cost, usd: bookedUsd, streaming: false, byModel: add(view.cost.byModel, input.model), byRole: add(view.cost.byRole, input.role) };
  const run = view.run && { ...view.run, step: Math.max(view.run.step, input.step) };
  return { ...state, bookedUsd, view: { ...view, cost, run } };
}

function scored(state: SidebarState, input: Score): SidebarState {
  const { metrics, run } = state.view;
  const higherIsBetter = input.higherIsBetter ?? metrics.higherIsBetter;
  const next = { ...metrics, metric: input.metric, higherIsBetter };
  if (input.score === null) return withView(state, { metrics: next });
  const point = { step: input.label === 'baseline' ? 0 : (run?.step ?? 0), score: input.score, source: input.label };
  const points = [...next.points.filter((p) => p.source !== input.label), point];
  return withView(state, { metrics: { ...next, points, baseline: input.label === 'baseline' ? input.score : next.baseline } });
}

/** Edits waiting for review are not run events: the host reports them. */
export function withPendingEdit(state: SidebarState, file: string | null): SidebarState {
  return withView(state, { pendingEdit: file === null ? null : { file } });
}

export interface FromLogOptions extends SidebarOptions {
  /** the run is still going in this window; otherwise an unfinished log means it was interrupted */
  live?: boolean;
}

/** The sidebar of a run rebuilt from its log.jsonl records, equal to the live one at the same point. */
export function sidebarFromLog(records: readonly LogRecord[], options: FromLogOptions): SidebarState {
  let state = initialSidebar(options);
  for (const record of records) {
    for (const input of inputsOf(record, state)) state = reduceSidebar(state, input, options);
  }
  const run = state.view.run;
  if (run?.status === 'running' && !options.live) state = withView(state, { run: { ...run, status: 'interrupted' } });
  return state;
}

/** The inputs a log record stands for, in the order the live run emitted them. */
function inputsOf(record: LogRecord, state: SidebarState): SidebarInput[] {
  switch (record.type) {
    case 'run':
      return [{ type: 'run-started', runId: record.runId, runDir: '', goal: record.goal, budgetUsd: record.budgetUsd, resumedFromStep: 0 }];
    case 'resume': {
      const run = state.view.run;
      return [{ type: 'run-started', runId: run?.id ?? '', runDir: '', goal: run?.goal ?? '', budgetUsd: state.view.cost.budgetUsd, resumedFromStep: record.fromStep - 1 }];
    }
    case 'call':
      return [{ type: 'call', step: record.step, role: record.role, model: record.model, usd: record.usd }];
    case 'step': {
      const { step, response, model, observation, artifacts } = record;
      return [
        { type: 'step-started', step },
        { type: 'planned', step, model, ...response },
        { type: 'observation', step, action: response.action, observation, ...(artifacts ? { artifacts } : {}) },
      ];
    }
    case 'escalation':
      return [{ type: 'escalation', step: record.step, role: record.role, from: record.from, to: record.to, reason: record.reason, addedUsd: record.addedUsd }];
    case 'lifeline':
      return [{ type: 'lifeline', used: record.used, left: Math.max(0, state.view.cost.lifelinesTotal - record.used) }];
    case 'score':
      return [{ type: 'score', label: record.label, score: record.score, metric: record.metric, ...(record.higherIsBetter === undefined ? {} : { higherIsBetter: record.higherIsBetter }) }];
    case 'end':
      return [{ type: 'run-ended', status: phaseOf(record.status), ...(record.message ? { message: record.message } : {}) }];
    case 'warning':
      return [];
  }
}

const END_STATUSES: readonly RunPhase[] = ['final_answer', 'max_steps', 'budget_exhausted', 'cancelled', 'error'];

function phaseOf(status: string): Exclude<RunPhase, 'running' | 'interrupted'> {
  return (END_STATUSES.includes(status as RunPhase) ? status : 'error') as Exclude<RunPhase, 'running' | 'interrupted'>;
}

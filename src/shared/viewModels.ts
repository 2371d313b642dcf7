/**
 * What the sidebar shows, as plain data. The host builds it (src/core/view/sidebarState.ts) and
 * sends it whole; the webview only renders it. Everything here must survive JSON.
 */

/** A run's state: running, one of the core's end statuses, or stopped by a window reload. */
export type RunPhase = 'running' | 'final_answer' | 'max_steps' | 'budget_exhausted' | 'cancelled' | 'error' | 'interrupted';

export interface RunView {
  id: string;
  goal: string;
  status: RunPhase;
  /** the step running now, or the last one that ran */
  step: number;
  maxSteps: number;
  /** why the run ended, when it says */
  message?: string;
}

/** A piece of the plan text; `fresh` pieces were written `**bold**`: the newest progress. */
export interface PlanPart {
  text: string;
  fresh: boolean;
}

export interface PlanView {
  /** the latest Research Plan and Status, as written (with its `**` marks) */
  current: string;
  /** `current` split into plain and fresh parts, without the `**` marks */
  parts: PlanPart[];
  /** the step whose response wrote `current` (0: none yet) */
  updatedAt: number;
  /** every version, oldest first */
  history: { step: number; text: string }[];
}

/** Files a step produced; the host opens them. 'observation' is the step's text in the log. */
export type ArtifactKind = 'diff' | 'output' | 'observation';

export interface Evidence {
  step: number;
  kind: ArtifactKind;
  /** the number or phrase the statement cites, found in that step's observation */
  cite: string;
  /** 1-based line of the observation that holds it */
  line?: number;
}

export interface FactCheckItem {
  statement: string;
  status: 'guessed' | 'confirmed';
  evidence?: Evidence;
}

export interface EscalationView {
  step?: number;
  role: string;
  from: string;
  to: string;
  reason: string;
  addedUsd: number;
}

export interface CostView {
  usd: number;
  budgetUsd: number;
  byModel: Record<string, number>;
  byRole: Record<string, number>;
  escalations: EscalationView[];
  lifelinesLeft: number;
  lifelinesTotal: number;
  /** a reply is still arriving: `usd` includes an estimate of it */
  streaming: boolean;
}

export interface TimelineEntry {
  step: number;
  action: string;
  /** the action input in one short line */
  input: string;
  /** the start of the observation; empty while the action runs */
  observation: string;
  /** false while the action runs */
  done: boolean;
  model: string;
  artifacts: ArtifactKind[];
}

export type MetricSource = 'baseline' | 'final' | 'observation';

export interface MetricPoint {
  step: number;
  score: number;
  source: MetricSource;
}

export interface MetricsView {
  /** the task's metric name, once known */
  metric: string | null;
  higherIsBetter: boolean | null;
  baseline: number | null;
  points: MetricPoint[];
}

export interface SidebarView {
  run: RunView | null;
  plan: PlanView;
  factCheck: FactCheckItem[];
  cost: CostView;
  timeline: TimelineEntry[];
  metrics: MetricsView;
  /** an edit waiting for review (path relative to the workspace) */
  pendingEdit: { file: string } | null;
  /** the run replays recorded model answers: nothing is charged */
  replay: boolean;
}

/** The part of the budget at which the cost panel turns to the warning colour. */
export const BUDGET_WARNING_RATIO = 0.8;

export function emptySidebarView(lifelinesTotal = 0, budgetUsd = 0): SidebarView {
  return {
    run: null,
    plan: { current: '', parts: [], updatedAt: 0, history: [] },
    factCheck: [],
    cost: { usd: 0, budgetUsd, byModel: {}, byRole: {}, escalations: [], lifelinesLeft: lifelinesTotal, lifelinesTotal, streaming: false },
    timeline: [],
    metrics: { metric: null, higherIsBetter: null, baseline: null, points: [] },
    pendingEdit: null,
    replay: false,
  };
}

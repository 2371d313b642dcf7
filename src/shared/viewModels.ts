/**
 * What the sidebar shows, as plain data. The host builds it (src/core/view/sidebarState.ts) and
 * sends it whole; the webview only renders it. Everything here must survive JSON.
 */

import type { RunPhase } from './runs';

export interface RunView {
  id: string;
  goal: string;
  status: RunPhase;
  /** the step running now, or the last one that ran */
  step: number;
  maxSteps: number;
  /** why the run ended, when it says */
  message?: string;
  /** the user asked to pause after the current step; the run waits for Continue */
  paused: boolean;
}

/**
 * A decision the run waits for, shown as a card in the sidebar (a notification may announce it and is
 * withdrawn once it is made anywhere or the run stops). `id` names it in the `decide` message.
 */
export type DecisionView =
  | {
      kind: 'run';
      id: string;
      step: number;
      /** as the user would type it */
      command: string;
      /** the working folder, relative to the workspace ('.' for its root) */
      folder: string;
      timeoutSec: number | null;
    }
  | {
      kind: 'edit';
      id: string;
      step: number;
      /** relative to the workspace */
      file: string;
      hunks: number;
      added: number;
      removed: number;
      /** the planner's instruction */
      reason: string;
    };

/** What the agent does this moment: the "Now" line at the top of the sidebar. */
export type NowView =
  | {
      kind: 'model';
      role: 'planner' | 'worker' | 'expert';
      model: string;
      /** ms since the epoch */
      startedAt: number;
      /** the Thought of the reply arriving, so far ('' until it starts) */
      thought: string;
    }
  | {
      kind: 'script';
      command: string;
      startedAt: number;
      /** the last line it printed */
      lastLine: string;
      timeoutSec: number | null;
      /** where it runs when not on this machine (an SSH host and folder, SLURM) */
      where?: string;
    }
  | { kind: 'waiting'; since: number; decision: 'run' | 'edit' }
  | { kind: 'paused'; since: number };

/** What the empty sidebar offers before the first run, and what the restricted mode allows. */
export interface SetupView {
  /** the workspace is trusted: runs may start (Restricted Mode shows past runs read-only) */
  trusted: boolean;
  /** providers of the configured models that have a key (SecretStorage or environment) or a base URL */
  readyProviders: string[];
  /** providers the configured models need */
  neededProviders: string[];
  /** the configured models, by role, cheapest first */
  models: { planner: string[]; worker: string[]; expert: string };
  /** budgetml.task.json is in the workspace */
  hasTaskFile: boolean;
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
  /** the experiment whose metrics hold the cited number (preferred over an observation) */
  experiment?: number;
  /** with `experiment`: the metric that holds it */
  metric?: string;
}

/**
 * 'unconfirmed': the planner wrote confirmed, but the numbers it cites match nothing measured
 * (no experiment's metrics, no observation).
 */
export type FactStatus = 'guessed' | 'confirmed' | 'unconfirmed';

export interface FactCheckItem {
  statement: string;
  status: FactStatus;
  evidence?: Evidence;
  /** why the status is not the one written: "claimed confirmed, no measurement found" */
  note?: string;
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
  /** what one lifeline may cost at most, with the planner's context as it is now; null before the first call */
  expertWorstCaseUsd: number | null;
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
  /** the script run of this step failed or timed out: how, and its error line */
  failure?: StepFailure;
  /** ms since the epoch; unknown for steps of a log written before it was kept */
  startedAt?: number;
  /** from its start to its observation */
  durationMs?: number;
  /** what its model calls cost */
  usd: number;
  /** the user's notes that went into this step's prompt */
  notes: string[];
}

export interface StepFailure {
  outcome: 'failed' | 'timeout';
  /** the experiment's error, else the observation's last `XxxError: …` line */
  error: string;
}

/**
 * Where a point comes from: the baseline (step 0) and final scoring, an experiment at its step, the
 * experiment running now (provisional, moves as the script prints), or an older run's observation.
 */
export type MetricSource = 'baseline' | 'final' | 'experiment' | 'running' | 'observation';

export interface MetricPoint {
  step: number;
  score: number;
  source: MetricSource;
  /** the experiment it was measured by */
  experiment?: number;
}

export interface AxisTick {
  value: number;
  /** the value as the axis writes it */
  label: string;
}

/** The y-axis: the data's range, padded a little and never narrower than about ±1 % of the values. */
export interface AxisView {
  low: number;
  high: number;
  ticks: AxisTick[];
}

export interface MetricsView {
  /** the metric plotted: the task's metric once known, else the most relevant one the scripts print */
  metric: string | null;
  higherIsBetter: boolean | null;
  /** the plotted metric at the baseline (step 0) */
  baseline: number | null;
  points: MetricPoint[];
  /** null without points */
  axis: AxisView | null;
  /** the metrics the chart can show, most relevant first (the plotted one included); fewer than two: no choice */
  choices: string[];
  /** the metric is the task's score (from the scoring script) */
  isTaskMetric: boolean;
}

/** What the run's measurements say about its goal, by MLAgentBench's rule (more than 10 % better). */
export interface VerdictView {
  verdict: 'improved' | 'not improved' | 'not measured';
  metric: string | null;
  higherIsBetter: boolean | null;
  baseline: number | null;
  final: number | null;
  /** (final − baseline) / |baseline|, positive when better (the sign flipped when lower is better) */
  change: number | null;
  /** the success rule in words */
  rule: string;
  /** why it is 'not measured', or which experiments the numbers come from */
  reason: string;
}

/** A number the run states as a result that no experiment measured. */
export interface UnverifiedClaimView {
  /** as written: "0.99", "97 %" */
  text: string;
  value: number;
  where: 'final answer' | 'research plan';
  /** the words around it */
  context: string;
}

export interface SidebarView {
  run: RunView | null;
  plan: PlanView;
  factCheck: FactCheckItem[];
  cost: CostView;
  timeline: TimelineEntry[];
  metrics: MetricsView;
  /** the run's verdict, once it ended and was judged */
  verdict: VerdictView | null;
  /** numbers stated as results that no experiment measured */
  unverifiedClaims: UnverifiedClaimView[];
  /** the decision the run waits for */
  decision: DecisionView | null;
  now: NowView | null;
  setup: SetupView;
  /** the run replays recorded model answers: nothing is charged */
  replay: boolean;
}

/**
 * Commands the sidebar may run: nothing else is accepted from it (protocol.ts checks it). Here, not in
 * protocol.ts, so that the webview reads the list without bundling the schema library.
 */
export const SIDEBAR_COMMANDS = [
  'budgetml.setApiKey',
  'budgetml.selectModels',
  'budgetml.testConnection',
  'budgetml.openSample',
  'budgetml.runDemo',
  'budgetml.createTaskFile',
  'budgetml.showExperiments',
  'workbench.trust.manage',
] as const;

export type SidebarCommand = (typeof SIDEBAR_COMMANDS)[number];

export const EMPTY_SETUP: SetupView = {
  trusted: true,
  readyProviders: [],
  neededProviders: [],
  models: { planner: [], worker: [], expert: '' },
  hasTaskFile: false,
};

export function emptySidebarView(lifelinesTotal = 0, budgetUsd = 0): SidebarView {
  return {
    run: null,
    plan: { current: '', parts: [], updatedAt: 0, history: [] },
    factCheck: [],
    cost: {
      usd: 0,
      budgetUsd,
      byModel: {},
      byRole: {},
      escalations: [],
      lifelinesLeft: lifelinesTotal,
      lifelinesTotal,
      streaming: false,
      expertWorstCaseUsd: null,
    },
    timeline: [],
    metrics: { metric: null, higherIsBetter: null, baseline: null, points: [], axis: null, choices: [], isTaskMetric: false },
    verdict: null,
    unverifiedClaims: [],
    decision: null,
    now: null,
    setup: EMPTY_SETUP,
    replay: false,
  };
}

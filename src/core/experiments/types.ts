import type { GpuProbe } from '../compute/gpu';
/**
 * An experiment: one script run of a run (the baseline's training and scoring, each Execute Script,
 * the final scoring), kept as one JSON line in the run folder's `experiments.jsonl`.
 */

export type ExperimentKind = 'baseline' | 'execute' | 'score';

/** A literal value found in code: a number, a string or a boolean. */
export type Literal = number | string | boolean;

export interface CodeChange {
  /** id of the previous experiment of the same script */
  parent: number;
  /** unified diff of the script, parent → this experiment ('' when unchanged) */
  diff: string;
  /** hyper-parameters whose literal changed: name → [old, new] (null: absent on that side) */
  hyperParams: Record<string, [Literal | null, Literal | null]>;
}

export interface DataFile {
  /** relative to the workspace, forward slashes */
  path: string;
  size: number;
  mtime: string;
  /** sha256, only for files below the hashing size cap */
  sha256?: string;
}

export interface PythonEnv {
  /** e.g. "3.11.2" */
  python: string;
  /** distribution versions of the modules the script imports; "missing" when not importable */
  packages: Record<string, string>;
  /** the GPUs where it ran, as nvidia-smi saw them when it started */
  gpu?: GpuProbe;
}

export interface ExperimentRecord {
  /** 1, 2, … within the run */
  id: number;
  /** the step that ran it; 0 for the baseline, maxSteps + 1 or the last step for the final scoring */
  step: number;
  kind: ExperimentKind;
  /** 'baseline' / 'final' for scoring runs */
  label?: 'baseline' | 'final';
  /** the script run, relative to the workspace (the scoring script's file name for scoring runs) */
  script: string;
  /** the command as shown to the user */
  command: string;
  interpreter: string;
  startedAt: string;
  durationMs: number;
  /** null when killed, cancelled, timed out or never started */
  exitCode: number | null;
  /** how the run ended */
  outcome: 'ok' | 'failed' | 'timeout' | 'cancelled' | 'declined';
  /** parsed from the output: last value per key */
  metrics: Record<string, number>;
  /** every value per key in order, when a key was printed more than once (epochs) */
  series?: Record<string, number[]>;
  /** the metric name, when this run produced the task's score (metrics[taskMetric] is the score) */
  taskMetric?: string;
  /** with taskMetric: the task's direction */
  higherIsBetter?: boolean;
  /** sha256 of the script's text */
  codeHash?: string;
  /** workspace-relative file → sha256 of the snapshot kept in the run folder's `code/` */
  code?: Record<string, string>;
  changedSinceParent?: CodeChange;
  git?: { commit: string; dirty: boolean };
  /** literal seeds in the code: where → value (`torch.manual_seed`, `random_state`) */
  seeds?: Record<string, Literal>;
  env?: PythonEnv;
  data?: DataFile[];
  /** the full output, relative to the run folder */
  output?: string;
  /** the last error line of a failed run */
  error?: string;
}

/**
 * What the run's measurements say about the task's goal (by MLAgentBench's success rule), and a
 * number the run states as a result that no experiment measured: the sidebar shows them as they are.
 */
export type { VerdictView as Verdict, UnverifiedClaimView as UnverifiedClaim } from '../../shared/viewModels';

import type { ExperimentRecord } from '../experiments/types';
import type { ArtifactKind } from '../../shared/viewModels';

/** What the sidebar's fold keeps besides the view: what later events are judged against. */

/** A finished step, as the fact check searches it for evidence. */
export interface SeenStep {
  step: number;
  /** the action it ran (older runs' script outputs are read for the task metric) */
  action: string;
  observation: string;
  /** files the step produced */
  artifacts: ArtifactKind[];
}

/** A finished experiment, as far as the view needs it. */
export type SeenExperiment = Pick<
  ExperimentRecord,
  'id' | 'step' | 'kind' | 'label' | 'outcome' | 'metrics' | 'taskMetric' | 'higherIsBetter' | 'error'
>;

/** The experiment running now and the last value of each metric it printed so far. */
export interface RunningExperiment {
  id: number;
  step: number;
  kind: ExperimentRecord['kind'];
  metrics: Record<string, number>;
}

/** The task's score as the score events give it (older runs have no scoring experiments). */
export interface SeenScores {
  metric: string | null;
  higherIsBetter: boolean | null;
  baseline?: number;
  final?: number;
}

/** The slice of an experiment record the view keeps. */
export function seenExperiment(record: ExperimentRecord): SeenExperiment {
  const { id, step, kind, label, outcome, metrics, taskMetric, higherIsBetter, error } = record;
  return {
    id,
    step,
    kind,
    outcome,
    metrics,
    ...(label === undefined ? {} : { label }),
    ...(taskMetric === undefined ? {} : { taskMetric }),
    ...(higherIsBetter === undefined ? {} : { higherIsBetter }),
    ...(error === undefined ? {} : { error }),
  };
}

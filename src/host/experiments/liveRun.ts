import type { RunEvent } from '../../core/events';
import type { ExperimentKind, ExperimentRecord, Verdict } from '../../core/experiments/types';

/**
 * What the run going in this window has told the view by its events, before (or beside) what its
 * files hold: the experiment that runs now with the metrics it printed so far, the records it
 * finished, its verdict. Pure: the view folds each event in and reads the files for the rest.
 */

export interface PendingExperiment {
  id: number;
  step: number;
  kind: ExperimentKind;
  script: string;
  command: string;
  /** last value per metric printed so far */
  metrics: Record<string, number>;
}

export interface LiveRun {
  runDir: string;
  running: boolean;
  pending?: PendingExperiment;
  /** records the events carried, by id */
  experiments: ExperimentRecord[];
  verdict?: Verdict;
}

/** Whether an event changes what the Experiments view shows. */
export function concernsExperiments(event: RunEvent): boolean {
  return ['run-started', 'experiment-started', 'metric', 'experiment', 'verdict', 'run-ended'].includes(event.type);
}

/** The live run after `event` (undefined before the first run of the window). */
export function foldRunEvent(live: LiveRun | undefined, event: RunEvent): LiveRun | undefined {
  switch (event.type) {
    case 'run-started':
      return { runDir: event.runDir, running: true, experiments: [] };
    case 'experiment-started': {
      if (!live) return live;
      const { id, step, kind, script, command } = event;
      return { ...live, pending: { id, step, kind, script, command, metrics: {} } };
    }
    case 'metric':
      if (!live?.pending || live.pending.id !== event.experiment) return live;
      return { ...live, pending: { ...live.pending, metrics: { ...live.pending.metrics, [event.name]: event.value } } };
    case 'experiment': {
      if (!live) return live;
      const experiments = [...live.experiments.filter((r) => r.id !== event.experiment.id), event.experiment];
      const pending = live.pending?.id === event.experiment.id ? undefined : live.pending;
      return {
        runDir: live.runDir,
        running: live.running,
        experiments,
        ...(pending ? { pending } : {}),
        ...(live.verdict ? { verdict: live.verdict } : {}),
      };
    }
    case 'verdict':
      return live && { ...live, verdict: event.verdict };
    case 'run-ended':
      return (
        live && { runDir: live.runDir, running: false, experiments: live.experiments, ...(live.verdict ? { verdict: live.verdict } : {}) }
      );
    default:
      return live;
  }
}

/** The run's records: those in its file, with those only the events carried so far. */
export function mergeRecords(fromFile: readonly ExperimentRecord[], live: LiveRun | undefined): ExperimentRecord[] {
  if (!live?.experiments.length) return [...fromFile];
  const ids = new Set(fromFile.map((r) => r.id));
  return [...fromFile, ...live.experiments.filter((r) => !ids.has(r.id))].sort((a, b) => a.id - b.id);
}

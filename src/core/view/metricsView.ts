import type { MetricPoint, MetricsView } from '../../shared/viewModels';
import { axisFor } from './axis';
import { byRelevance, directionOf, isResultKey, keyFor } from './metricKeys';
import type { RunningExperiment, SeenExperiment, SeenScores, SeenStep } from './types';
import { metricFromOutput } from './viewText';

/**
 * The metrics chart, derived from what the run measured: one point per experiment at its step, the
 * running experiment's latest value as a provisional point. It plots the task's metric when the
 * task has one, else the most relevant metric the scripts print, or the one the user chose.
 */

export interface MetricsInput {
  experiments: readonly SeenExperiment[];
  running: RunningExperiment | null;
  scores: SeenScores;
  /** finished steps: an older run's Execute Script outputs, read for the task metric */
  seen: readonly SeenStep[];
  /** the metric the user chose to plot */
  chosen: string | null;
  /** the run's last step: the final scoring is drawn there */
  runStep: number;
  /** the task's metric and direction, when known before the first score */
  metric?: string;
  higherIsBetter?: boolean;
}

interface TaskMetric {
  name: string;
  /** every name the task's metric goes by (the scorer's key, the task file's metric) */
  aliases: string[];
  higherIsBetter: boolean | null;
}

export function metricsView(input: MetricsInput): MetricsView {
  const task = taskMetric(input);
  const choices = metricChoices(input, task);
  const metric = input.chosen !== null && choices.includes(input.chosen) ? input.chosen : (choices[0] ?? null);
  if (metric === null)
    return { metric: null, higherIsBetter: null, baseline: null, points: [], axis: null, choices: [], isTaskMetric: false };
  const isTaskMetric = task !== null && metric === task.name;
  const aliases = isTaskMetric ? task.aliases : [metric];
  const measured = [...measuredPoints(input, aliases), ...(isTaskMetric ? olderRunPoints(input, task) : [])];
  const points = [...withoutSecondBaseline(measured), ...runningPoint(input, aliases)];
  const baseline = points.find((p) => p.source === 'baseline')?.score ?? null;
  const higherIsBetter = isTaskMetric ? task.higherIsBetter : directionOf(metric);
  return {
    metric,
    higherIsBetter,
    baseline,
    points,
    axis: axisFor(points.map((p) => p.score)),
    choices: choices.length > 1 ? choices : [],
    isTaskMetric,
  };
}

/** The scorer's metric, else the one the score events or the task file name. */
function taskMetric(input: MetricsInput): TaskMetric | null {
  const scored = input.experiments.filter((e) => e.kind === 'score' && e.taskMetric !== undefined).pop();
  const names = [scored?.taskMetric, input.scores.metric ?? undefined, input.metric].filter(
    (n): n is string => n !== undefined && n !== '',
  );
  if (names.length === 0) return null;
  // the scorer's other names for its score ("score" beside "accuracy"): what the training script may print
  const otherNames = scored ? Object.keys(scored.metrics).filter((k) => isScoreAlias(scored, k)) : [];
  const higherIsBetter = scored?.higherIsBetter ?? input.scores.higherIsBetter ?? input.higherIsBetter ?? null;
  return { name: names[0], aliases: [...new Set([...names, ...otherNames])], higherIsBetter };
}

/** The task metric first, then what the scripts print, most relevant first; each metric once. */
function metricChoices(input: MetricsInput, task: TaskMetric | null): string[] {
  const printed = new Set<string>();
  for (const e of input.experiments)
    if (e.outcome === 'ok')
      Object.keys(e.metrics)
        .filter((k) => !isScoreAlias(e, k))
        .forEach((k) => printed.add(k));
  Object.keys(input.running?.metrics ?? {}).forEach((k) => printed.add(k));
  const others = [...printed].filter((k) => isResultKey(k) && !(task && task.aliases.some((a) => keyFor([k], a) !== undefined)));
  return [...(task ? [task.name] : []), ...others.sort(byRelevance)];
}

/** A scoring run's other name for its score ("score" beside "mae", the same value). */
function isScoreAlias(e: SeenExperiment, key: string): boolean {
  return e.kind === 'score' && e.taskMetric !== undefined && key !== e.taskMetric && e.metrics[key] === e.metrics[e.taskMetric];
}

function valueOf(metrics: Record<string, number>, aliases: readonly string[]): number | undefined {
  const keys = Object.keys(metrics);
  for (const alias of aliases) {
    const key = keyFor(keys, alias);
    if (key !== undefined) return metrics[key];
  }
  return undefined;
}

/** The final scoring happens after the last step: drawn there, not at maxSteps + 1. */
function drawnStep(experiment: Pick<SeenExperiment, 'step' | 'kind'>, runStep: number): number {
  return experiment.kind === 'score' && runStep > 0 && experiment.step > runStep ? runStep : experiment.step;
}

/** A point, and whether the scorer measured it (at step 0 the scorer's baseline wins over the training script's). */
interface Measured {
  point: MetricPoint;
  scorer: boolean;
}

/** One point per finished experiment that measured the metric. */
function measuredPoints(input: MetricsInput, aliases: readonly string[]): Measured[] {
  return input.experiments.flatMap((e) => {
    const score = e.outcome === 'ok' ? valueOf(e.metrics, aliases) : undefined;
    if (score === undefined) return [];
    const source = e.kind === 'baseline' || e.label === 'baseline' ? 'baseline' : e.label === 'final' ? 'final' : 'experiment';
    return [{ point: { step: drawnStep(e, input.runStep), score, source, experiment: e.id }, scorer: e.kind === 'score' }];
  });
}

/** Runs recorded before experiments existed: the score events, and the metric each Execute Script printed. */
function olderRunPoints(input: MetricsInput, task: TaskMetric): Measured[] {
  const points: Measured[] = [];
  const scored = (label: 'baseline' | 'final') => input.experiments.some((e) => e.kind === 'score' && e.label === label);
  if (input.scores.baseline !== undefined && !scored('baseline'))
    points.push({ point: { step: 0, score: input.scores.baseline, source: 'baseline' }, scorer: true });
  const measuredSteps = new Set(input.experiments.map((e) => e.step));
  for (const s of input.seen) {
    if (s.action !== 'Execute Script' || measuredSteps.has(s.step)) continue;
    const score = task.aliases.map((a) => metricFromOutput(s.observation, a)).find((v) => v !== null);
    if (score !== undefined && score !== null) points.push({ point: { step: s.step, score, source: 'observation' }, scorer: false });
  }
  if (input.scores.final !== undefined && !scored('final'))
    points.push({ point: { step: input.runStep, score: input.scores.final, source: 'final' }, scorer: true });
  return points;
}

function withoutSecondBaseline(measured: Measured[]): MetricPoint[] {
  const scorerBaseline = measured.some((m) => m.scorer && m.point.source === 'baseline');
  return measured.filter((m) => m.scorer || m.point.source !== 'baseline' || !scorerBaseline).map((m) => m.point);
}

/** The running experiment's latest value: provisional, it moves as the script prints. */
function runningPoint(input: MetricsInput, aliases: readonly string[]): MetricPoint[] {
  const { running } = input;
  const score = running ? valueOf(running.metrics, aliases) : undefined;
  if (!running || score === undefined) return [];
  return [{ step: drawnStep(running, input.runStep), score, source: 'running', experiment: running.id }];
}

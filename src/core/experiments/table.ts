import type { ExperimentRecord, Literal } from './types';

/** Metrics shown per experiment, and hyper-parameter changes. */
const SHOWN_METRICS = 4;
const SHOWN_CHANGES = 4;
const IMPORTANT =
  /(^|\b|_)(test|val|valid|validation|eval|score|acc|accuracy|f1|auc|mae|rmse|mse|r2|loss|error|bleu|perplexity|ppl)(\b|_|$)/;

/**
 * The Experiments table as the planner sees it: one line per script run it may rely on, oldest
 * first. Beyond `maxRows`, the earliest runs after the reference are left out in blocks of half the
 * room (the reference stays: the baseline's runs, or the first run when no baseline was measured), so
 * the table changes by appending most of the time and the prompt's prefix stays cacheable.
 */
export function experimentsTable(records: readonly ExperimentRecord[], maxRows = Infinity): string[] {
  const shown = records.filter((r) => r.outcome !== 'declined');
  if (shown.length <= maxRows) return shown.map(experimentRow);
  const measured = shown.filter((r) => r.step === 0);
  const baseline = measured.length > 0 ? measured : shown.slice(0, 1);
  const later = shown.filter((r) => !baseline.includes(r));
  const room = Math.max(1, maxRows - baseline.length);
  const block = Math.ceil(room / 2);
  const dropped = Math.min(later.length, Math.ceil((later.length - room) / block) * block);
  return [...baseline.map(experimentRow), `(${dropped} earlier experiments omitted)`, ...later.slice(dropped).map(experimentRow)];
}

/** One experiment in one line: `#3 step 4 train.py: ok 12.3 s | test accuracy 0.9722 | lr 0.01→0.001`. */
export function experimentRow(r: ExperimentRecord): string {
  const what =
    r.kind === 'score' ? `scoring (${r.label ?? 'score'}) ${r.script}` : `${r.kind === 'baseline' ? 'baseline ' : ''}${r.script}`;
  const parts = [`#${r.id} step ${r.step} ${what}: ${r.outcome} ${seconds(r.durationMs)}`];
  const metrics = shownMetrics(r);
  if (metrics) parts.push(metrics);
  if (r.error) parts.push(r.error);
  const changes = shownChanges(r);
  if (changes) parts.push(changes);
  return parts.join(' | ');
}

/** The line the planner reads under a script's output, naming the experiment it became. */
export function experimentLine(r: ExperimentRecord): string {
  return `Recorded as experiment ${experimentRow(r)}`;
}

/** The metrics that matter most: the task's, then test/validation scores and losses, then the rest. */
export function shownMetrics(r: ExperimentRecord, max = SHOWN_METRICS): string {
  const names = Object.keys(r.metrics);
  const rank = (name: string) => (name === r.taskMetric ? 0 : IMPORTANT.test(name) ? (/test|val|eval/.test(name) ? 1 : 2) : 3);
  const chosen = names
    .map((name, index) => ({ name, index }))
    .sort((a, b) => rank(a.name) - rank(b.name) || b.index - a.index)
    .slice(0, max);
  return chosen.map(({ name }) => `${name} ${formatNumber(r.metrics[name])}`).join(', ');
}

function shownChanges(r: ExperimentRecord): string {
  const change = r.changedSinceParent;
  if (!change) return '';
  const entries = Object.entries(change.hyperParams);
  if (entries.length === 0) return change.diff ? `code changed since #${change.parent}` : `same code as #${change.parent}`;
  const shown = entries.slice(0, SHOWN_CHANGES).map(([name, [before, after]]) => `${name} ${literal(before)}→${literal(after)}`);
  return `changed since #${change.parent}: ${shown.join(', ')}${entries.length > SHOWN_CHANGES ? ` (+${entries.length - SHOWN_CHANGES} more)` : ''}`;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(5)));
}

function literal(value: Literal | null): string {
  if (value === null) return '∅';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

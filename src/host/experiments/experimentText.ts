import { formatNumber } from '../../core/experiments/table';
import type { ExperimentRecord, Literal, Verdict } from '../../core/experiments/types';
import { l10n, runStatusText, verdictWord } from '../l10n';
import type { ExperimentRun, TaskDirection } from './runData';

/**
 * The words the Experiments view, its tooltips, quick picks and the comparison use for runs and
 * experiments. Pure: no `vscode` (translated through ../l10n), so the unit tests check every string exactly.
 */

/** A measured number as the planner's Experiments table writes it: 0.9722, 46.26, 1200. */
export { formatNumber };

export function formatLiteral(value: Literal | null): string {
  if (value === null) return '—';
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** A fraction as a signed percentage: 0.3618 → "+36 %", −0.042 → "−4.2 %". */
export function formatChange(fraction: number): string {
  const percent = fraction * 100;
  const digits = Math.abs(percent) >= 10 ? 0 : 1;
  const text = Math.abs(percent).toFixed(digits);
  return `${percent < 0 && Number(text) !== 0 ? '−' : '+'}${text} %`;
}

/** 850 → "0.9 s", 12 300 → "12.3 s", 125 000 → "2 min 05 s", 3 720 000 → "1 h 02 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** An ISO time as "2026-11-20 09:15" in the local time zone. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** At most `max` characters, cut at a word's end when one is not too far back. */
function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** short enough that the verdict beside it shows in a side bar of usual width */
const GOAL_LENGTH = 40;

/** The run's name in the view: its goal, shortened; else its id and start time. */
export function runLabel(run: Pick<ExperimentRun, 'id' | 'goal' | 'startedAt'>): string {
  return run.goal ? shorten(run.goal, GOAL_LENGTH) : `${run.id} · ${formatTime(run.startedAt)}`;
}

/** "improved 0.7139 → 0.9722 (+36 %)", "not improved 46.26 → 47.1 (−1.8 %)", "not measured". */
export function verdictText(verdict: Verdict): string {
  const word = verdictWord(verdict.verdict);
  if (verdict.baseline === null || verdict.final === null) return word;
  const change = verdict.change === null ? '' : ` (${formatChange(verdict.change)})`;
  return l10n.t('{0} {1} → {2}{3}', word, formatNumber(verdict.baseline), formatNumber(verdict.final), change);
}

export type RunState = 'running' | 'improved' | 'not improved' | 'not measured' | 'ended' | 'unfinished';

/** What the run's icon shows: running, its verdict, ended without one (older runs), or unfinished. */
export function runState(run: Pick<ExperimentRun, 'summary'>, live: { running: boolean; verdict?: Verdict }): RunState {
  if (live.running) return 'running';
  const verdict = run.summary?.verdict ?? live.verdict;
  if (verdict) return verdict.verdict;
  return run.summary ? 'ended' : 'unfinished';
}

/** The run's description: its verdict, "running", or how it ended. */
export function runDescription(run: Pick<ExperimentRun, 'summary'>, live: { running: boolean; verdict?: Verdict }): string {
  const state = runState(run, live);
  const verdict = run.summary?.verdict ?? live.verdict;
  if (state === 'running') return l10n.t('running');
  if (verdict) return verdictText(verdict);
  if (state === 'ended') return run.summary?.status ? l10n.t('ended: {0}', runStatusText(run.summary.status)) : l10n.t('ended');
  return l10n.t('unfinished');
}

/** "#1 baseline · train.py", "#3 step 4 · train.py", "#2 baseline score · eval.py", "#6 final score · eval.py". */
export function experimentLabel(record: Pick<ExperimentRecord, 'id' | 'step' | 'kind' | 'label' | 'script'>): string {
  return `#${record.id} ${whenRun(record)} · ${record.script}`;
}

function whenRun(record: Pick<ExperimentRecord, 'step' | 'kind' | 'label'>): string {
  if (record.kind === 'score') return record.label ? l10n.t('{0} score', scoreLabel(record.label)) : l10n.t('step {0} score', record.step);
  if (record.kind === 'baseline') return l10n.t('baseline');
  return l10n.t('step {0}', record.step);
}

/** The label of a score run: "baseline", "final" (as the core records them). */
function scoreLabel(label: string): string {
  if (label === 'baseline') return l10n.t('baseline');
  if (label === 'final') return l10n.t('final');
  return label;
}

/** True when the run did not end well: a non-zero exit, a timeout, a cancellation or a declined run. */
export function failed(record: Pick<ExperimentRecord, 'outcome'>): boolean {
  return record.outcome !== 'ok';
}

const RELEVANT = [/\b(test|val|valid|validation|eval|dev)\b/i, /(acc|f1|auc|mae|mse|rmse|r2|loss|score|error|precision|recall)/i];

/** The metric to show first: the task's, else one named like a test/validation metric, else the first. */
export function relevantMetric(
  metrics: Record<string, number>,
  direction?: Pick<TaskDirection, 'metric'>,
  own?: string,
): [string, number] | undefined {
  const names = Object.keys(metrics);
  const name =
    [own, direction?.metric].find((n) => n !== undefined && n in metrics) ??
    RELEVANT.map((re) => names.find((n) => re.test(n))).find(Boolean) ??
    names[0];
  return name === undefined ? undefined : [name, metrics[name]];
}

/** "lr 0.01→0.001, epochs 10→20" (at most `max`, then "+N more"). */
export function hyperParamText(hyperParams: Record<string, [Literal | null, Literal | null]>, max = 2): string {
  const entries = Object.entries(hyperParams);
  const shown = entries.slice(0, max).map(([name, [from, to]]) => `${name} ${formatLiteral(from)}→${formatLiteral(to)}`);
  return entries.length > max ? l10n.t('{0} +{1} more', shown.join(', '), entries.length - max) : shown.join(', ');
}

/** What changed since the experiment's parent: its hyper-parameters, else the size of the diff. */
function changeText(record: Pick<ExperimentRecord, 'changedSinceParent'>): string {
  const change = record.changedSinceParent;
  if (!change) return '';
  const params = hyperParamText(change.hyperParams);
  if (params) return params;
  if (!change.diff) return l10n.t('code unchanged');
  const lines = change.diff.split('\n');
  const added = lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
  const removed = lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
  return l10n.t('code +{0} −{1}', added, removed);
}

/** "test accuracy 0.9722 · 12.3 s · lr 0.01→0.001"; a failed one says so with its error line. */
export function experimentDescription(record: ExperimentRecord, direction?: TaskDirection): string {
  const metric = relevantMetric(record.metrics, direction, record.taskMetric);
  const result = failed(record) ? outcomeText(record) : metric ? `${metric[0]} ${formatNumber(metric[1])}` : l10n.t('no metrics');
  return [result, formatDuration(record.durationMs), changeText(record)].filter(Boolean).join(' · ');
}

/** "exit code 0", "failed (exit code 1)", "timed out", "cancelled", "declined". */
export function outcomeText(record: Pick<ExperimentRecord, 'outcome' | 'exitCode'>): string {
  switch (record.outcome) {
    case 'ok':
      return l10n.t('exit code {0}', record.exitCode ?? 0);
    case 'failed':
      return record.exitCode === null ? l10n.t('failed') : l10n.t('failed (exit code {0})', record.exitCode);
    case 'timeout':
      return l10n.t('timed out');
    case 'cancelled':
      return l10n.t('cancelled');
    case 'declined':
      return l10n.t('declined');
  }
}

/** A metric line while the experiment runs: "running · test accuracy 0.95". */
export function pendingDescription(metrics: Record<string, number>, direction?: TaskDirection): string {
  const metric = relevantMetric(metrics, direction);
  return metric ? l10n.t('running · {0} {1}', metric[0], formatNumber(metric[1])) : l10n.t('running…');
}

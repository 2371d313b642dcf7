import { gpuSummary } from '../../core/compute/gpu';
import type { DataFile, ExperimentRecord, Literal } from '../../core/experiments/types';
import { l10n } from '../l10n';
import {
  experimentLabel,
  formatChange,
  formatDuration,
  formatLiteral,
  formatNumber,
  formatTime,
  outcomeText,
  runLabel,
} from './experimentText';
import { formatBytes } from './experimentTooltip';
import type { ExperimentRun, TaskDirection } from './runData';

/**
 * The comparison of two experiments as a table model: the panel renders it, the tests read it.
 * Only what the records hold; the better side is named only where the task's direction is known.
 */

export interface CompareSide {
  run: Pick<ExperimentRun, 'id' | 'goal' | 'startedAt'>;
  record: ExperimentRecord;
}

export interface CompareRow {
  name: string;
  /** a word on the name, e.g. "task metric, higher is better" */
  note?: string;
  left: string;
  right: string;
  /** right − left for numbers, else '' */
  difference: string;
  /** which side is better, when the direction is known and they differ */
  better?: 'left' | 'right';
  /** the two sides differ */
  changed: boolean;
  /** show the values as code */
  code?: boolean;
}

export interface CompareSection {
  title: string;
  rows: CompareRow[];
  /** said when there are no rows */
  empty: string;
}

export interface CompareModel {
  title: string;
  /** the run's goal and time, or both runs when they differ */
  subtitle: string;
  /** `run`: the experiment's run when the two come from different runs, else '' */
  left: { label: string; run: string };
  right: { label: string; run: string };
  sections: CompareSection[];
}

/** "#2" within one run; "#2 (run 2026-11-20 09:15)" when the two come from different runs. */
export function experimentRef(side: CompareSide, other: CompareSide): string {
  if (side.run.id === other.run.id) return `#${side.record.id}`;
  return `#${side.record.id} (${formatTime(side.run.startedAt)})`;
}

function runName(run: CompareSide['run']): string {
  return `${runLabel(run)} · ${formatTime(run.startedAt)}`;
}

export function compareModel(left: CompareSide, right: CompareSide, direction?: TaskDirection): CompareModel {
  const sameRun = left.run.id === right.run.id;
  return {
    title: l10n.t('Compare {0} ↔ {1}', experimentRef(left, right), experimentRef(right, left)),
    subtitle: sameRun
      ? `${left.run.goal ?? left.run.id} · ${l10n.t('run of {0}', formatTime(left.run.startedAt))}`
      : `${runName(left.run)} ↔ ${runName(right.run)}`,
    left: { label: experimentLabel(left.record), run: sameRun ? '' : runName(left.run) },
    right: { label: experimentLabel(right.record), run: sameRun ? '' : runName(right.run) },
    sections: [
      { title: l10n.t('Run'), rows: runRows(left, right), empty: '' },
      { title: l10n.t('Metrics'), rows: metricRows(left.record, right.record, direction), empty: l10n.t('Neither printed a metric.') },
      {
        title: l10n.t('Hyper-parameters changed since the parent'),
        rows: hyperParamRows(left.record, right.record),
        empty: l10n.t('Neither changed a hyper-parameter literal since its parent.'),
      },
      { title: l10n.t('Seeds'), rows: seedRows(left.record, right.record), empty: l10n.t('No literal seed in either script.') },
      { title: l10n.t('Environment'), rows: envRows(left.record, right.record), empty: l10n.t('The same Python and package versions.') },
      { title: l10n.t('Data'), rows: dataRows(left.record, right.record), empty: l10n.t('The same data files (size and hash).') },
      { title: l10n.t('Code'), rows: codeRows(left.record, right.record), empty: l10n.t('No code kept.') },
    ],
  };
}

function row(name: string, left: string, right: string, extra: Partial<CompareRow> = {}): CompareRow {
  return { name, left, right, difference: '', changed: left !== right, ...extra };
}

function runRows(left: CompareSide, right: CompareSide): CompareRow[] {
  const a = left.record;
  const b = right.record;
  const rows = [
    ...(left.run.id === right.run.id ? [] : [row(l10n.t('Run'), runName(left.run), runName(right.run))]),
    row(l10n.t('Command'), a.command, b.command, { code: true }),
    row(l10n.t('Outcome'), outcomeText(a), outcomeText(b)),
    row(l10n.t('Duration'), formatDuration(a.durationMs), formatDuration(b.durationMs), {
      difference: signedDuration(b.durationMs - a.durationMs),
    }),
    row(l10n.t('Started'), formatTime(a.startedAt), formatTime(b.startedAt)),
  ];
  if (a.error || b.error) rows.push(row(l10n.t('Error'), a.error ?? '', b.error ?? '', { code: true }));
  return rows;
}

function signedDuration(ms: number): string {
  return `${ms < 0 ? '−' : '+'}${formatDuration(Math.abs(ms))}`;
}

function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

function metricRows(a: ExperimentRecord, b: ExperimentRecord, direction?: TaskDirection): CompareRow[] {
  const names = union(Object.keys(a.metrics), Object.keys(b.metrics));
  if (direction) names.sort((x, y) => Number(y === direction.metric) - Number(x === direction.metric));
  return names.map((name) => {
    const x = a.metrics[name];
    const y = b.metrics[name];
    const known = x !== undefined && y !== undefined;
    const note =
      direction?.metric !== name
        ? undefined
        : direction.higherIsBetter
          ? l10n.t('task metric, higher is better')
          : l10n.t('task metric, lower is better');
    const shown = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v));
    const base = row(name, shown(x), shown(y), { changed: x !== y, ...(note ? { note } : {}) });
    if (!known) return base;
    const difference = `${y - x < 0 ? '−' : '+'}${formatNumber(Math.abs(y - x))}${x !== 0 ? ` (${formatChange((y - x) / Math.abs(x))})` : ''}`;
    const better = direction?.metric === name && x !== y ? (y > x === direction.higherIsBetter ? 'right' : 'left') : undefined;
    return { ...base, difference, ...(better ? { better } : {}) };
  });
}

function hyperParamRows(a: ExperimentRecord, b: ExperimentRecord): CompareRow[] {
  const pa = a.changedSinceParent?.hyperParams ?? {};
  const pb = b.changedSinceParent?.hyperParams ?? {};
  const shown = (change: [Literal | null, Literal | null] | undefined, parent: number | undefined) =>
    change ? l10n.t('{0} → {1} (since #{2})', formatLiteral(change[0]), formatLiteral(change[1]), String(parent)) : '—';
  return union(Object.keys(pa), Object.keys(pb)).map((name) =>
    row(name, shown(pa[name], a.changedSinceParent?.parent), shown(pb[name], b.changedSinceParent?.parent)),
  );
}

function literalRows(
  x: Record<string, Literal> = {},
  y: Record<string, Literal> = {},
  format: (value: Literal) => string = formatLiteral,
): CompareRow[] {
  return union(Object.keys(x), Object.keys(y)).map((name) =>
    row(name, name in x ? format(x[name]) : '—', name in y ? format(y[name]) : '—'),
  );
}

function seedRows(a: ExperimentRecord, b: ExperimentRecord): CompareRow[] {
  return literalRows(a.seeds, b.seeds);
}

/** Only what differs: the Python version, package versions (a package one side lacks shows "—"). */
function envRows(a: ExperimentRecord, b: ExperimentRecord): CompareRow[] {
  if (!a.env && !b.env) return [];
  const gpu = (r: ExperimentRecord) => (r.env?.gpu ? gpuSummary(r.env.gpu) : '—');
  const rows = [
    row('Python', a.env?.python ?? '—', b.env?.python ?? '—'),
    row('GPU', gpu(a), gpu(b)),
    ...literalRows(a.env?.packages, b.env?.packages, String),
  ];
  return rows.filter((r) => r.changed);
}

function dataText(file: DataFile | undefined): string {
  if (!file) return '—';
  return `${formatBytes(file.size)}${file.sha256 ? ` · ${file.sha256.slice(0, 12)}` : ` · ${formatTime(file.mtime)}`}`;
}

/** Only the files that differ: size or hash changed, or present on one side only (without a hash: the time). */
function dataRows(a: ExperimentRecord, b: ExperimentRecord): CompareRow[] {
  const byPath = (files: DataFile[] = []) => new Map(files.map((f) => [f.path, f]));
  const x = byPath(a.data);
  const y = byPath(b.data);
  return union([...x.keys()], [...y.keys()])
    .map((path) => row(path, dataText(x.get(path)), dataText(y.get(path))))
    .filter((r) => r.changed);
}

function codeRows(a: ExperimentRecord, b: ExperimentRecord): CompareRow[] {
  const x = a.code ?? {};
  const y = b.code ?? {};
  const rows = union(Object.keys(x), Object.keys(y)).map((file) => {
    const same = x[file] !== undefined && x[file] === y[file];
    return row(file, x[file] ? x[file].slice(0, 12) : '—', y[file] ? y[file].slice(0, 12) : '—', {
      difference: same ? l10n.t('same') : l10n.t('differs'),
      code: true,
    });
  });
  if (a.git || b.git) {
    const git = (r: ExperimentRecord) =>
      r.git ? (r.git.dirty ? l10n.t('{0} (uncommitted changes)', r.git.commit.slice(0, 10)) : r.git.commit.slice(0, 10)) : '—';
    rows.push(row('Git', git(a), git(b), { code: true }));
  }
  return rows;
}

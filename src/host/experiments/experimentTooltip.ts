import { gpuSummary } from '../../core/compute/gpu';
import type { ExperimentRecord } from '../../core/experiments/types';
import { l10n } from '../l10n';
import {
  experimentLabel,
  failed,
  formatDuration,
  formatLiteral,
  formatNumber,
  formatTime,
  outcomeText,
  runDescription,
} from './experimentText';
import type { ExperimentRun } from './runData';

/**
 * The hovers of the Experiments view as Markdown (the view wraps them in a MarkdownString with
 * theme icons on). Everything the record holds; what came from the run is escaped or in code spans.
 */

/** Markdown with the characters that mean something escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, '\\$&');
}

/** A code span that holds any text (backticks inside get a longer fence). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest ? ` ${flat} ` : flat}${fence}`;
}

export function experimentTooltip(record: ExperimentRecord): string {
  const head = `${failed(record) ? '$(error) ' : ''}**${escapeMarkdown(experimentLabel(record))}** — ${outcomeText(record)}, ${formatDuration(record.durationMs)}, ${escapeMarkdown(formatTime(record.startedAt))}`;
  const sections = [head, codeSpan(record.command)];
  if (record.error) sections.push(`$(error) ${codeSpan(record.error)}`);
  sections.push(metricsTable(record));
  const change = record.changedSinceParent;
  if (change) {
    const params = Object.entries(change.hyperParams).map(
      ([name, [from, to]]) => `${codeSpan(name)} ${escapeMarkdown(formatLiteral(from))} → ${escapeMarkdown(formatLiteral(to))}`,
    );
    const what = params.length ? params.join(', ') : change.diff ? l10n.t('the code (no hyper-parameter literal)') : l10n.t('nothing');
    sections.push(`**${l10n.t('Changed since #{0}:', change.parent)}** ${what}`);
  }
  const seeds = Object.entries(record.seeds ?? {}).map(([where, value]) => `${codeSpan(where)} ${escapeMarkdown(formatLiteral(value))}`);
  if (seeds.length) sections.push(`**${l10n.t('Seeds:')}** ${seeds.join(', ')}`);
  if (record.env) {
    const packages = Object.entries(record.env.packages).map(([name, version]) => `${escapeMarkdown(name)} ${escapeMarkdown(version)}`);
    sections.push(
      `**${l10n.t('Environment:')}** Python ${escapeMarkdown(record.env.python)}${packages.length ? ` · ${packages.join(', ')}` : ''}`,
    );
    if (record.env.gpu) sections.push(`**${l10n.t('GPU:')}** ${escapeMarkdown(gpuSummary(record.env.gpu))}`);
  }
  const data = (record.data ?? []).map(
    (file) => `${codeSpan(file.path)} ${formatBytes(file.size)}${file.sha256 ? ` · sha256 ${file.sha256.slice(0, 12)}` : ''}`,
  );
  if (data.length) sections.push(`**${l10n.t('Data:')}** ${data.join(', ')}`);
  if (record.git) {
    const commit = codeSpan(record.git.commit.slice(0, 10));
    sections.push(`**Git:** ${record.git.dirty ? l10n.t('{0} with uncommitted changes', commit) : commit}`);
  }
  const files = Object.keys(record.code ?? {});
  if (files.length) sections.push(`**${l10n.t('Code kept:')}** ${files.map(codeSpan).join(', ')}`);
  return sections.filter(Boolean).join('\n\n');
}

function metricsTable(record: ExperimentRecord): string {
  const names = Object.keys(record.metrics);
  if (!names.length) return `_${l10n.t('No metrics printed.')}_`;
  const rows = names.map((name) => {
    const series = record.series?.[name];
    const task =
      name === record.taskMetric
        ? ` (${record.higherIsBetter === false ? l10n.t('task metric, lower is better') : l10n.t('task metric, higher is better')})`
        : '';
    const trail = series && series.length > 1 ? ` · ${l10n.t('{0} values, first {1}', series.length, formatNumber(series[0]))}` : '';
    return `| ${escapeMarkdown(name)}${task} | ${formatNumber(record.metrics[name])}${trail} |`;
  });
  return [`| ${l10n.t('Metric')} | ${l10n.t('Value')} |`, '|:--|--:|', ...rows].join('\n');
}

export function runTooltip(run: ExperimentRun, live: { running: boolean }): string {
  const lines = [
    `**${escapeMarkdown(run.goal ?? run.id)}**`,
    [
      escapeMarkdown(run.id),
      l10n.t('started {0}', escapeMarkdown(formatTime(run.startedAt))),
      run.experiments.length === 1 ? l10n.t('1 experiment') : l10n.t('{0} experiments', run.experiments.length),
    ].join(' · '),
  ];
  const verdict = run.summary?.verdict;
  lines.push(`**${escapeMarkdown(runDescription(run, live))}**`);
  if (verdict) lines.push(escapeMarkdown(verdict.reason), `_${escapeMarkdown(verdict.rule)}_`);
  const claims = run.summary?.unverifiedClaims ?? [];
  if (claims.length)
    lines.push(
      `$(warning) ${l10n.t('Numbers no experiment measured: {0}', claims.map((c) => `${codeSpan(c.text)} (${c.where})`).join(', '))}`,
    );
  return lines.join('\n\n');
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(Number(value.toFixed(1)))} ${units[unit]}`;
}

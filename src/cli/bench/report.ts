import { formatUsd } from '../../shared/money';
import type { Aggregate, BenchResults } from './results';

/** report.md: the paper's table, tasks by configurations (success rate and $ per run), then the cost ratios. */
export function reportMarkdown(results: BenchResults): string {
  const { configs, tasks } = results;
  const head = ['Task', ...configs.flatMap((c) => [`${c.name}: success`, `${c.name}: $ per run`])];
  const row = (label: string, pick: (name: string) => Aggregate) =>
    [label, ...configs.flatMap((c) => [successText(pick(c.name)), formatUsd(pick(c.name).meanCostUsd)])].join(' | ');
  const byName = new Map(configs.map((c) => [c.name, c]));
  const lines = [
    '# Benchmark',
    '',
    `${tasks.length} task${tasks.length === 1 ? '' : 's'} × ${configs.length} configuration${configs.length === 1 ? '' : 's'}; success is MLAgentBench's rule (the final score more than 10 % better than the measured baseline).`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...tasks.map((task) => `| ${row(task, (name) => byName.get(name)!.tasks[task])} |`),
    `| ${row('**Average**', (name) => byName.get(name)!)} |`,
    '',
    ...ratioLines(results),
  ];
  return `${lines.join('\n')}\n`;
}

/** Each configuration's mean cost per run against the first's. */
function ratioLines(results: BenchResults): string[] {
  const [reference, ...others] = results.configs;
  if (!reference || others.length === 0 || reference.meanCostUsd === 0) return [];
  return [
    `Cost per run against ${reference.name}: ${others.map((c) => `${c.name} ${(c.meanCostUsd / reference.meanCostUsd).toFixed(3)}×`).join(', ')}.`,
  ];
}

function successText(a: Aggregate): string {
  if (a.runs === 0) return '—';
  return `${Math.round(a.successRate * 100)} % (${Math.round(a.successRate * a.runs)}/${a.runs})`;
}

/** report.html: the table and a chart of $ per run against success rate, one point per configuration; no script, no remote content. */
export function reportHtml(results: BenchResults): string {
  const table = markdownTableToHtml(reportMarkdown(results));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>BudgetML benchmark</title>
<style>
body { font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--vscode-foreground, #1f1f1f); background: var(--vscode-editor-background, #fff); margin: 24px; }
table { border-collapse: collapse; margin: 12px 0; } th, td { border: 1px solid var(--vscode-panel-border, #c8c8c8); padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; } .axis { stroke: currentColor; stroke-width: 1; } .point { fill: var(--vscode-charts-blue, #1a73e8); }
text { fill: currentColor; font-size: 12px; }
@media (prefers-color-scheme: dark) { body { color: var(--vscode-foreground, #e0e0e0); background: var(--vscode-editor-background, #1e1e1e); } }
</style></head><body>
${table}
<h2>$ per run against success rate</h2>
${chartSvg(results)}
</body></html>
`;
}

function chartSvg(results: BenchResults): string {
  const [w, h, pad] = [480, 280, 48];
  const maxCost = Math.max(...results.configs.map((c) => c.meanCostUsd), 1e-9);
  const x = (usd: number) => pad + (usd / maxCost) * (w - 2 * pad);
  const y = (rate: number) => h - pad - rate * (h - 2 * pad);
  const points = results.configs
    .map(
      (c) =>
        `<circle class="point" cx="${x(c.meanCostUsd).toFixed(1)}" cy="${y(c.successRate).toFixed(1)}" r="6"><title>${escapeHtml(c.name)}: ${formatUsd(c.meanCostUsd)} per run, ${Math.round(c.successRate * 100)} % success</title></circle>` +
        `<text x="${(x(c.meanCostUsd) + 9).toFixed(1)}" y="${(y(c.successRate) + 4).toFixed(1)}">${escapeHtml(c.name)}</text>`,
    )
    .join('');
  return `<svg width="${w}" height="${h}" role="img" aria-label="mean cost per run against success rate, one point per configuration">
<line class="axis" x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}"/><line class="axis" x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}"/>
<text x="${w / 2}" y="${h - 12}" text-anchor="middle">$ per run (0 – ${formatUsd(maxCost)})</text>
<text x="14" y="${h / 2}" transform="rotate(-90 14 ${h / 2})" text-anchor="middle">success rate (0 – 100 %)</text>
${points}</svg>`;
}

/** The report's Markdown (a heading, paragraphs, one table) as HTML. */
function markdownTableToHtml(markdown: string): string {
  const out: string[] = [];
  const rows = markdown.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const line = rows[i];
    if (line.startsWith('# ')) out.push(`<h1>${escapeHtml(line.slice(2))}</h1>`);
    else if (line.startsWith('|') && rows[i + 1]?.startsWith('|---')) {
      const cells = (l: string) =>
        l
          .slice(1, -1)
          .split(' | ')
          .map((c) => escapeHtml(c.trim()).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>'));
      const body = [];
      for (i += 2; rows[i]?.startsWith('|'); i++)
        body.push(
          `<tr>${cells(rows[i])
            .map((c) => `<td>${c}</td>`)
            .join('')}</tr>`,
        );
      out.push(
        `<table><thead><tr>${cells(line)
          .map((c) => `<th>${c}</th>`)
          .join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`,
      );
      i--;
    } else if (line.trim()) out.push(`<p>${escapeHtml(line)}</p>`);
  }
  return out.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

import { l10n } from '../l10n';
import type { CompareModel, CompareRow, CompareSection } from './compareModel';

/**
 * The comparison page: a static table, no script. Its one style element carries the nonce the
 * Content-Security-Policy allows; colours come from the theme's `--vscode-*` variables.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function comparePolicy(nonce: string): string {
  return ["default-src 'none'", `style-src 'nonce-${nonce}'`].join('; ');
}

const STYLE = `
:root { --border: var(--vscode-editorWidget-border, var(--vscode-widget-border, rgba(128,128,128,.35))); --muted: var(--vscode-descriptionForeground); }
body { margin: 0; padding: 12px 20px 24px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); line-height: 1.45; }
h1 { font-size: 1.25em; font-weight: 600; margin: 4px 0 2px; }
.sub { color: var(--muted); margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--border); overflow-wrap: break-word; }
thead th { position: sticky; top: 0; background: var(--vscode-editor-background); font-weight: 600; border-bottom: 2px solid var(--border); }
thead .run { display: block; font-weight: normal; color: var(--muted); font-size: .92em; }
tbody.section th { padding-top: 14px; font-size: .85em; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
td.name { color: var(--vscode-foreground); }
td.name .note { display: block; font-weight: normal; font-size: .85em; color: var(--muted); }
td.same { color: var(--muted); }
td.num, td.diff { font-variant-numeric: tabular-nums; }
td.diff { color: var(--muted); }
td.short { white-space: nowrap; }
tr.changed td.name { font-weight: 600; }
td.better { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); font-weight: 600; }
.badge { display: inline-block; margin-left: 2px; padding: 0 6px; border-radius: 9px; font-size: .8em; font-weight: 600; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
code { font-family: var(--vscode-editor-font-family, monospace); font-size: .92em; background: var(--vscode-textCodeBlock-background); padding: 1px 3px; border-radius: 3px; }
.empty { color: var(--muted); font-style: italic; }
p.note { color: var(--muted); margin-top: 14px; }
`;

/** Long dotted names (`train_test_split.random_state`) may wrap after a dot or an underscore. */
function breakable(name: string): string {
  return escapeHtml(name).replace(/([._/])(?=.)/g, '$1<wbr>');
}

/** values this short stay on one line */
const SHORT = 18;

function cell(row: CompareRow, side: 'left' | 'right'): string {
  const text = row[side];
  const better = row.better === side;
  const classes = [better ? 'better' : '', row.changed ? '' : 'same', text.length <= SHORT ? 'short' : ''].filter(Boolean).join(' ');
  const body = row.code && text !== '—' ? `<code>${escapeHtml(text)}</code>` : escapeHtml(text);
  return `<td${classes ? ` class="${classes}"` : ''}>${body}${better ? ` <span class="badge">${escapeHtml(l10n.t('better'))}</span>` : ''}</td>`;
}

function sectionHtml(section: CompareSection): string {
  const head = `<tr><th colspan="4" scope="colgroup">${escapeHtml(section.title)}</th></tr>`;
  const rows = section.rows.length
    ? section.rows.map(
        (row) =>
          `<tr${row.changed ? ' class="changed"' : ''}><td class="name">${breakable(row.name)}${row.note ? `<span class="note">${escapeHtml(row.note)}</span>` : ''}</td>${cell(row, 'left')}${cell(row, 'right')}<td class="diff">${escapeHtml(row.difference)}</td></tr>`,
      )
    : [`<tr><td colspan="4" class="empty">${escapeHtml(section.empty)}</td></tr>`];
  return `<tbody class="section">${head}</tbody><tbody>${rows.join('')}</tbody>`;
}

function headerCell(side: CompareModel['left']): string {
  return `<th scope="col">${escapeHtml(side.label)}${side.run ? `<span class="run">${escapeHtml(side.run)}</span>` : ''}</th>`;
}

export function compareHtml(model: CompareModel, nonce: string, note = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${comparePolicy(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${STYLE}</style>
<title>${escapeHtml(model.title)}</title>
</head>
<body>
<h1>${escapeHtml(model.title)}</h1>
<p class="sub">${escapeHtml(model.subtitle)}</p>
<table id="comparison">
<thead><tr><th scope="col"></th>${headerCell(model.left)}${headerCell(model.right)}<th scope="col">${escapeHtml(l10n.t('Difference'))}</th></tr></thead>
${model.sections.map(sectionHtml).join('\n')}
</table>
${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}
</body>
</html>`;
}

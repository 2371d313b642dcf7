import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../core/run';
import { formatUsd } from '../shared/money';
import { runStatusText, verdictWord } from './l10n';

/** The notification at the end of a run: status, steps, spend and score, with the run's files a click away. */
export function reportRunEnd(summary: RunSummary): void {
  const steps = summary.steps === 1 ? vscode.l10n.t('1 step') : vscode.l10n.t('{0} steps', summary.steps);
  const status = runStatusText(summary.status);
  const usd = formatUsd(summary.cost.usd);
  const sentences = [
    summary.replay
      ? vscode.l10n.t('BudgetML replay ended ({0}): {1}, {2}; {3}.', status, steps, usd, verdictText(summary))
      : vscode.l10n.t('BudgetML run ended ({0}): {1}, {2}; {3}.', status, steps, usd, verdictText(summary)),
  ];
  if (summary.finalAnswer) sentences.push(vscode.l10n.t('Final answer (as the agent wrote it): {0}', summary.finalAnswer));
  if (summary.unverifiedClaims.length > 0) {
    sentences.push(vscode.l10n.t('Not measured by any experiment: {0}.', summary.unverifiedClaims.map((c) => c.text).join(', ')));
  }
  // the run's own account of how it ended, as the core wrote it
  if (summary.message) {
    sentences.push(`${summary.message[0].toUpperCase()}${summary.message.slice(1)}${/[.!?]$/.test(summary.message) ? '' : '.'}`);
  }
  const doubtful = summary.verdict.verdict === 'not improved' || summary.unverifiedClaims.length > 0;
  const show =
    summary.status === 'error'
      ? vscode.window.showErrorMessage
      : doubtful
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  const [openSummary, openLog] = [vscode.l10n.t('Open Summary'), vscode.l10n.t('Open Run Log')];
  void show(sentences.join(' '), openSummary, openLog).then((choice) => {
    if (choice === openSummary) void openInEditor(join(summary.runDir, 'summary.json'));
    if (choice === openLog) void openInEditor(join(summary.runDir, 'log.jsonl'));
  });
}

/** Opens a file of a run folder in a preview editor; says so when it does not exist. */
export async function openInEditor(file: string): Promise<boolean> {
  if (!existsSync(file)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: {0} does not exist yet.', file));
    return false;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
  return true;
}

/** The measured verdict in words: `improved: accuracy 0.5167 → 0.9667 (+87.1 %)`. */
function verdictText({ verdict }: RunSummary): string {
  if (verdict.verdict === 'not measured') return vscode.l10n.t('not measured ({0})', verdict.reason);
  const change = verdict.change === null ? '' : ` (${signed(verdict.change)})`;
  return vscode.l10n.t(
    '{0}: {1} {2} → {3}{4}',
    verdictWord(verdict.verdict),
    verdict.metric ?? vscode.l10n.t('score'),
    round(verdict.baseline),
    round(verdict.final),
    change,
  );
}

function round(value: number | null): string {
  return value === null ? vscode.l10n.t('none') : String(Number(value.toPrecision(4)));
}

function signed(improvement: number): string {
  const percent = (improvement * 100).toFixed(1);
  return `${improvement >= 0 ? '+' : ''}${percent} %`;
}

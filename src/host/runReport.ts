import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../core/run';
import { formatUsd } from '../shared/money';

/** The notification at the end of a run: status, steps, spend and score, with the run's files a click away. */
export function reportRunEnd(summary: RunSummary): void {
  const score = `; ${verdictText(summary)}`;
  const claims =
    summary.unverifiedClaims.length > 0
      ? ` Not measured by any experiment: ${summary.unverifiedClaims.map((c) => c.text).join(', ')}.`
      : '';
  const answer = summary.finalAnswer ? ` Final answer (as the agent wrote it): ${summary.finalAnswer}${claims}` : claims;
  const steps = `${summary.steps} step${summary.steps === 1 ? '' : 's'}`;
  const message = summary.message
    ? ` ${summary.message[0].toUpperCase()}${summary.message.slice(1)}${/[.!?]$/.test(summary.message) ? '' : '.'}`
    : '';
  const kind = summary.replay ? 'BudgetML replay' : 'BudgetML run';
  const text = `${kind} ended (${summary.status.replace('_', ' ')}): ${steps}, ${formatUsd(summary.cost.usd)}${score}.${answer}${message}`;
  const doubtful = summary.verdict.verdict === 'not improved' || summary.unverifiedClaims.length > 0;
  const show =
    summary.status === 'error'
      ? vscode.window.showErrorMessage
      : doubtful
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  void show(text, 'Open Summary', 'Open Run Log').then((choice) => {
    if (choice === 'Open Summary') void openInEditor(join(summary.runDir, 'summary.json'));
    if (choice === 'Open Run Log') void openInEditor(join(summary.runDir, 'log.jsonl'));
  });
}

/** Opens a file of a run folder in a preview editor; says so when it does not exist. */
export async function openInEditor(file: string): Promise<boolean> {
  if (!existsSync(file)) {
    void vscode.window.showInformationMessage(`BudgetML: ${file} does not exist yet.`);
    return false;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
  return true;
}

/** The measured verdict in words: `improved: accuracy 0.5167 → 0.9667 (+87.1 %)`. */
function verdictText({ verdict }: RunSummary): string {
  if (verdict.verdict === 'not measured') return `not measured (${verdict.reason})`;
  const change = verdict.change === null ? '' : ` (${signed(verdict.change)})`;
  return `${verdict.verdict}: ${verdict.metric ?? 'score'} ${round(verdict.baseline)} → ${round(verdict.final)}${change}`;
}

function round(value: number | null): string {
  return value === null ? 'none' : String(Number(value.toPrecision(4)));
}

function signed(improvement: number): string {
  const percent = (improvement * 100).toFixed(1);
  return `${improvement >= 0 ? '+' : ''}${percent} %`;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../core/run';
import { formatUsd } from './spendMeter';

/** The notification at the end of a run: status, steps, spend and score, with the run's files a click away. */
export function reportRunEnd(summary: RunSummary): void {
  const score = summary.score !== null ? `, score ${round(summary.score)}${summary.improvement !== null ? ` (${signed(summary.improvement)} vs baseline ${round(summary.baseline)})` : ''}` : '';
  const answer = summary.finalAnswer ? ` Final answer: ${summary.finalAnswer}` : '';
  const steps = `${summary.steps} step${summary.steps === 1 ? '' : 's'}`;
  const message = summary.message ? ` ${summary.message[0].toUpperCase()}${summary.message.slice(1)}${/[.!?]$/.test(summary.message) ? '' : '.'}` : '';
  const kind = summary.replay ? 'BudgetML replay' : 'BudgetML run';
  const text = `${kind} ended (${summary.status.replace('_', ' ')}): ${steps}, ${formatUsd(summary.cost.usd)}${score}.${answer}${message}`;
  const show = summary.status === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
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

function round(value: number | null): string {
  return value === null ? 'none' : String(Number(value.toPrecision(4)));
}

function signed(improvement: number): string {
  const percent = (improvement * 100).toFixed(1);
  return `${improvement >= 0 ? '+' : ''}${percent} %`;
}

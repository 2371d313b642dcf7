import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { openInEditor } from './runReport';

/** The outputs a failed preflight may have left, the most telling first. */
const PREFLIGHT_OUTPUTS = ['baseline-train.log', 'baseline-eval.log', 'prepare.log'];

/**
 * A run that stopped before any model call because its scripts cannot run or be scored: one
 * message naming the interpreter and what is missing, with the way to fix it and the output.
 */
export async function reportPreflightFailure(message: string, runDir: string | undefined, channel: vscode.LogOutputChannel): Promise<void> {
  channel.error(`The run stopped before any model call: ${message}`);
  const [choose, show] = [vscode.l10n.t('Choose Interpreter'), vscode.l10n.t('Show Output')];
  const choice = await vscode.window.showErrorMessage(
    vscode.l10n.t('BudgetML: nothing was spent, the run cannot start: {0}', message),
    choose,
    show,
  );
  if (choice === choose) await chooseInterpreter();
  if (choice === show) {
    const output = runDir && PREFLIGHT_OUTPUTS.map((name) => join(runDir, 'outputs', name)).find(existsSync);
    if (output) await openInEditor(output);
    else channel.show();
  }
}

/** The Python extension's interpreter picker when it is installed, else the budgetml.python setting. */
async function chooseInterpreter(): Promise<void> {
  if (vscode.extensions.getExtension('ms-python.python')) {
    await vscode.commands.executeCommand('python.setInterpreter');
    return;
  }
  await vscode.commands.executeCommand('workbench.action.openSettings', 'budgetml.python');
}

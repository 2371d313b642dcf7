import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SAMPLE_PATH } from './modelSources';

/**
 * The recorded demo replays a run on the diabetes sample: in any other workspace its answers
 * would be nonsense. Says so, and offers a copy of the sample (when the extension ships one).
 */
export async function explainDemoNeedsSample(extensionUri: vscode.Uri): Promise<void> {
  const sample = join(extensionUri.fsPath, ...SAMPLE_PATH);
  const offer = existsSync(sample) ? ['Open a Copy of the Sample'] : [];
  const choice = await vscode.window.showWarningMessage(
    'The recorded demo replays a run on the diabetes sample workspace (media/samples/diabetes), and this workspace has no train.py ' +
      'with a DecisionTreeRegressor. Open the sample workspace and run the demo there.',
    ...offer,
  );
  if (choice) await openSampleCopy(sample);
}

/** Copies the sample into a folder the user picks and opens the copy (the extension's own files stay untouched). */
async function openSampleCopy(sample: string): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Copy the Sample Here',
    title: 'BudgetML: where should the sample workspace go?',
  });
  if (!picked?.[0]) return;
  const target = join(picked[0].fsPath, 'budgetml-diabetes-sample');
  if (!existsSync(target)) await cp(sample, target, { recursive: true });
  await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(target), { forceNewWindow: true });
}

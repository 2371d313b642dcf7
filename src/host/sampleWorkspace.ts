import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fitsRecording, SAMPLE_PATH } from './modelSources';

/** globalState key: the folder of a fresh sample copy whose window should start the recorded demo. */
const DEMO_PENDING = 'budgetml.demoPendingIn';

/**
 * The recorded demo replays a run on the diabetes sample: in any other workspace its answers
 * would be nonsense. Says so, and offers to run it on a fresh copy of the sample.
 */
export async function explainDemoNeedsSample(): Promise<void> {
  const copy = vscode.l10n.t('Run It on a Copy of the Sample');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'The recorded demo replays a run on the diabetes sample workspace, and this workspace has no train.py with a DecisionTreeRegressor.',
    ),
    copy,
  );
  if (choice) await vscode.commands.executeCommand('budgetml.runDemo');
}

/**
 * Run the Recorded Demo, from any folder in one step: on the sample in place when the workspace is
 * one, else on a fresh copy of the sample, opened in this window, where the replay starts.
 */
export async function runDemo(extensionUri: vscode.Uri, state: vscode.Memento): Promise<unknown> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder && (await fitsRecording(folder))) return vscode.commands.executeCommand('budgetml.startTask', { replay: true });
  const copy = await copySample(extensionUri);
  if (!copy) return undefined;
  await state.update(DEMO_PENDING, copy);
  return vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(copy), { forceNewWindow: false });
}

/** Open Sample: a fresh copy of the sample project, opened in this window (the extension's own files stay untouched). */
export async function openSample(extensionUri: vscode.Uri): Promise<unknown> {
  const copy = await copySample(extensionUri);
  return copy && vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(copy), { forceNewWindow: false });
}

/** On activation: this window was opened by Run the Recorded Demo, so the replay starts. */
export function startPendingDemo(state: vscode.Memento): void {
  const pending = state.get<string>(DEMO_PENDING);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!pending || pending !== folder) return;
  void state.update(DEMO_PENDING, undefined);
  void vscode.commands.executeCommand('budgetml.startTask', { replay: true });
}

/** Copies the sample into a new folder in the home folder (budgetml-demo, budgetml-demo-2, …). */
async function copySample(extensionUri: vscode.Uri): Promise<string | undefined> {
  const sample = join(extensionUri.fsPath, ...SAMPLE_PATH);
  if (!existsSync(sample)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('BudgetML: this installation has no sample project ({0}).', sample));
    return undefined;
  }
  const target = freeFolder(join(homedir(), 'budgetml-demo'));
  await cp(sample, target, { recursive: true });
  return target;
}

function freeFolder(base: string): string {
  if (!existsSync(base)) return base;
  for (let n = 2; ; n++) if (!existsSync(`${base}-${n}`)) return `${base}-${n}`;
}

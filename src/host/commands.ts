import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EditReview } from './editReview/editReview';
import type { ExperimentsView } from './experiments/experimentsView';
import { selectModels } from './modelPicker';
import type { RunController } from './runController';
import { openInEditor } from './runReport';
import type { StartArgs } from './runInputs';
import type { KeyStore } from './secrets';
import { SIDEBAR_VIEW_ID } from './sidebar/sidebarProvider';

export interface CommandDeps {
  runs: RunController;
  review: EditReview;
  keys: KeyStore;
  experiments: ExperimentsView;
}

/** Every command of the extension; ids match `contributes.commands` in package.json. */
export function registerCommands(subscriptions: vscode.Disposable[], { runs, review, keys, experiments }: CommandDeps): void {
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'budgetml.startTask': (args) => runs.start(isStartArgs(args) ? args : undefined),
    'budgetml.stopTask': () => runs.stop(),
    'budgetml.resumeRun': () => runs.resume(),
    'budgetml.acceptEdit': async (target) => (await review.accept(target)) || nothingWaiting(),
    'budgetml.rejectEdit': async (target, reason) =>
      (await review.reject(target, typeof reason === 'string' ? reason : undefined)) || nothingWaiting(),
    'budgetml.acceptHunk': (target, index, fingerprint) => review.acceptHunk(target, Number(index), asString(fingerprint)),
    'budgetml.rejectHunk': (target, index, fingerprint) => review.rejectHunk(target, Number(index), asString(fingerprint)),
    'budgetml.setApiKey': (provider) => keys.setInteractively(asString(provider)),
    'budgetml.selectModels': () => selectModels(),
    'budgetml.openRunLog': () => openRunFile(runs, 'log.jsonl'),
    // the spend meter's click: the sidebar shows the cost by model and role, escalations and lifelines
    'budgetml.showSpend': () => vscode.commands.executeCommand(`${SIDEBAR_VIEW_ID}.focus`),
    // from the view's context menu: the clicked experiment and the selection; from the palette: nothing (quick picks)
    'budgetml.compareExperiments': (clicked, selected) => experiments.compare(clicked, selected),
    'budgetml.restoreExperiment': (node) => experiments.restore(node),
    'budgetml.refreshExperiments': () => experiments.tree.refresh(),
  };
  for (const [id, handler] of Object.entries(commands)) {
    subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
}

async function openRunFile(runs: RunController, name: string): Promise<boolean> {
  const runDir = await runs.currentRunDir();
  if (!runDir) {
    void vscode.window.showInformationMessage('BudgetML: no run yet in this workspace. Start one with "BudgetML: Start Task".');
    return false;
  }
  return openInEditor(join(runDir, name));
}

function nothingWaiting(): false {
  void vscode.window.showInformationMessage('BudgetML: no edit is waiting for review.');
  return false;
}

function isStartArgs(value: unknown): value is StartArgs {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

import { join } from 'node:path';
import * as vscode from 'vscode';
import { testConnection } from './connectionTest';
import type { Choice, DecisionBoard } from './decisions/decisionBoard';
import { DECIDE_COMMAND } from './decisions/decisionNotice';
import type { EditReview } from './editReview/editReview';
import type { ExperimentsView } from './experiments/experimentsView';
import { selectModels } from './modelPicker';
import { selectCompute } from './computePicker';
import { openBenchmarkReport } from './benchReport';
import type { UserPrompts } from './prompts';
import type { RunController } from './runController';
import { openInEditor } from './runReport';
import type { StartArgs } from './runInputs';
import { openSample, runDemo } from './sampleWorkspace';
import type { KeyStore } from './secrets';
import { SIDEBAR_VIEW_ID } from './sidebar/sidebarProvider';
import { createTaskFile } from './taskFileWizard';

export interface CommandDeps {
  runs: RunController;
  review: EditReview;
  keys: KeyStore;
  experiments: ExperimentsView;
  decisions: DecisionBoard;
  prompts: () => UserPrompts;
  context: vscode.ExtensionContext;
  settingKeys: readonly string[];
  channel: vscode.LogOutputChannel;
}

/** Every command of the extension; ids match `contributes.commands` in package.json. */
export function registerCommands(subscriptions: vscode.Disposable[], deps: CommandDeps): void {
  const { runs, review, keys, experiments, decisions, context } = deps;
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'budgetml.startTask': (args) => runs.start(isStartArgs(args) ? args : undefined),
    'budgetml.stopTask': () => runs.stop(),
    'budgetml.resumeRun': () => runs.resume(),
    'budgetml.acceptEdit': async (target) => (await review.accept(target)) || nothingWaiting(),
    'budgetml.rejectEdit': async (target, reason) =>
      (await review.reject(target, typeof reason === 'string' ? reason : undefined)) || nothingWaiting(),
    'budgetml.acceptHunk': (target, index, fingerprint) => review.acceptHunk(target, Number(index), asString(fingerprint)),
    'budgetml.rejectHunk': (target, index, fingerprint) => review.rejectHunk(target, Number(index), asString(fingerprint)),
    // the notification's links and Cancel button; a decision no longer pending is not answered
    [DECIDE_COMMAND]: async (id, choice, reason) =>
      (await decisions.decide(String(id), { choice: choice as Choice, reason: asString(reason) })) || nothingWaiting(),
    'budgetml.openDecision': async (id) => (await decisions.open(String(id))) || nothingWaiting(),
    'budgetml.setApiKey': (provider) => keys.setInteractively(asString(provider)),
    'budgetml.selectModels': () => selectModels(),
    'budgetml.selectCompute': () => selectCompute(),
    'budgetml.openBenchmarkReport': (target) => openBenchmarkReport(target),
    'budgetml.testConnection': () => testConnection(deps.settingKeys, keys, deps.channel),
    'budgetml.openSample': () => openSample(context.extensionUri),
    'budgetml.runDemo': () => runDemo(context.extensionUri, context.globalState),
    'budgetml.createTaskFile': () => createTaskFile(),
    'budgetml.openRunLog': () => openRunFile(runs, 'log.jsonl'),
    // the spend meter's click: the sidebar shows the cost by model and role, escalations and lifelines
    'budgetml.showSpend': () => vscode.commands.executeCommand(`${SIDEBAR_VIEW_ID}.focus`),
    'budgetml.showExperiments': () => vscode.commands.executeCommand('budgetml.experiments.focus'),
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
    void vscode.window.showInformationMessage(
      vscode.l10n.t('BudgetML: no run yet in this workspace. Start one with "BudgetML: Start Task".'),
    );
    return false;
  }
  return openInEditor(join(runDir, name));
}

function nothingWaiting(): false {
  void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: nothing is waiting for your decision.'));
  return false;
}

function isStartArgs(value: unknown): value is StartArgs {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

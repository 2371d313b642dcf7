import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentCore } from './agentCoreLoader';
import type { Config } from '../core/config';
import type { ApiKeys } from '../core/run';
import type { Task } from '../core/task/task';
import { resolvePython } from './interpreter';
import type { KeyStore } from './secrets';
import { readExplicitSettings } from './settings';

export interface StartArgs {
  /** skip the input box */
  goal?: string;
  /** the training script, relative to the workspace */
  script?: string;
  /** run the recorded demo: recorded model answers, no API is called */
  replay?: boolean;
}

export interface RunInputs {
  config: Config;
  keys: ApiKeys;
  folder: vscode.WorkspaceFolder;
}

/** The run's inputs, and the providers its models need that have neither a key nor a base URL. */
export interface Gathered {
  inputs: RunInputs;
  missing: string[];
}

/**
 * Settings → Config (through the core's schema), the interpreter, and the keys. Undefined, after
 * telling the user what to do, when no folder is open or the settings are invalid.
 */
export async function gatherInputs(core: AgentCore, settingKeys: readonly string[], keyStore: KeyStore): Promise<Gathered | undefined> {
  const folder = workspaceFolder();
  const config = folder && (await readConfig(core, settingKeys, folder));
  if (!folder || !config) return undefined;
  const keys = await keyStore.keys(config);
  return { inputs: { config, keys, folder }, missing: missingProviders(core, config, keys) };
}

/** The first workspace folder; says what to do when none is open. */
export function workspaceFolder(): vscode.WorkspaceFolder | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) void vscode.window.showErrorMessage(vscode.l10n.t('BudgetML works in a folder: open the folder of your ML project first.'));
  return folder;
}

/** The settings as the core's Config, with the interpreter resolved; undefined after saying what is wrong. */
export async function readConfig(
  core: AgentCore,
  settingKeys: readonly string[],
  folder: vscode.WorkspaceFolder,
): Promise<Config | undefined> {
  let config: Config;
  try {
    config = core.parseConfig(readExplicitSettings(settingKeys, folder.uri));
  } catch (error) {
    if (!(error instanceof core.ConfigError)) throw error;
    void vscode.window
      .showErrorMessage(vscode.l10n.t('BudgetML settings: {0}', error.message), vscode.l10n.t('Open Settings'))
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'budgetml');
      });
    return undefined;
  }
  return { ...config, python: await resolvePython(folder, config.python) };
}

/** Providers the configured models use that have neither a key nor a base URL (the core's rule). */
function missingProviders(core: AgentCore, config: Config, keys: ApiKeys): string[] {
  const ids = [...config.models.planner, ...config.models.worker, config.models.expert];
  const providers = [...new Set(ids.map((id) => core.parseModelRef(id).provider))];
  return providers.filter((provider) => {
    try {
      core.requireKey(provider, config, keys);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * The task of a new run: the goal from the input box (prefilled from budgetml.task.json), the
 * script from the task file, else the active Python file. Undefined when the user cancels.
 */
export async function buildTask(core: AgentCore, inputs: RunInputs, args: StartArgs = {}): Promise<Task | undefined> {
  const workspace = inputs.folder.uri.fsPath;
  let file: ReturnType<AgentCore['readTaskFile']>;
  try {
    file = core.readTaskFile(workspace);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('BudgetML: {0}', (error as Error).message));
    return undefined;
  }
  const goal = args.goal ?? (await askGoal(file?.goal));
  if (!goal?.trim()) return undefined;
  const task = core.loadWorkspaceTask(workspace, inputs.config.python, goal);
  const script = args.script ?? file?.script ?? activePythonScript(workspace);
  return script ? { ...task, script } : task;
}

function askGoal(prefill: string | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('BudgetML: Start Task'),
    prompt: vscode.l10n.t('What should the agent achieve? (the research problem, as you would tell a colleague)'),
    value: prefill,
    placeHolder: vscode.l10n.t('e.g. Improve the validation accuracy of train.py by at least 10 %'),
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Describe the goal in a sentence or two.')),
  });
}

/** The active editor's Python file, relative to the workspace, when it is inside it. */
function activePythonScript(workspace: string): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.uri.scheme !== 'file' || !doc.fileName.endsWith('.py')) return undefined;
  const rel = path.relative(workspace, doc.fileName);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

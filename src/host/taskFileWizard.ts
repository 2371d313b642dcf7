import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { TASK_FILE } from './setup/setupWatcher';

/** What the wizard asks for; the file's schema is the core's (src/core/task/loadTask.ts). */
interface TaskFileDraft {
  goal?: string;
  script: string;
  evalCommand: string;
  metric: string;
  direction: 'higher' | 'lower';
}

/**
 * Create Task File: a guided budgetml.task.json (the script, the scoring command, the metric and
 * which way is better, optionally the goal), written to the workspace and opened.
 */
export async function createTaskFile(): Promise<boolean> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage(vscode.l10n.t('BudgetML works in a folder: open the folder of your ML project first.'));
    return false;
  }
  const file = join(folder.uri.fsPath, TASK_FILE);
  if (existsSync(file) && !(await confirmReplace())) return false;
  const draft = await askDraft(folder);
  if (!draft) return false;
  await writeFile(file, JSON.stringify(draft, null, 2) + '\n');
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  return true;
}

async function confirmReplace(): Promise<boolean> {
  const replace = vscode.l10n.t('Replace');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('The workspace already has {0}. Replace it?', TASK_FILE),
    { modal: true },
    replace,
  );
  return choice === replace;
}

async function askDraft(folder: vscode.WorkspaceFolder): Promise<TaskFileDraft | undefined> {
  const title = vscode.l10n.t('BudgetML: Create Task File');
  const script = await pickScript(folder, title);
  if (!script) return undefined;
  const evalCommand = await ask(title, vscode.l10n.t('The command that scores the result (it prints the metric)'), `python ${script}`);
  if (!evalCommand) return undefined;
  const metric = await ask(title, vscode.l10n.t('The metric it prints, e.g. accuracy or mae'), 'accuracy');
  if (!metric) return undefined;
  const direction = await pickDirection(title, metric);
  if (!direction) return undefined;
  const goal = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The goal, as you would tell a colleague (optional; Start Task asks otherwise)'),
    ignoreFocusOut: true,
  });
  if (goal === undefined) return undefined;
  return { ...(goal.trim() ? { goal: goal.trim() } : {}), script, evalCommand, metric, direction };
}

async function pickScript(folder: vscode.WorkspaceFolder, title: string): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles(
    new vscode.RelativePattern(folder, '**/*.py'),
    '**/{.budgetml,node_modules,.venv,venv}/**',
    200,
  );
  const scripts = found.map((uri) => vscode.workspace.asRelativePath(uri, false)).sort();
  if (scripts.length === 0) return ask(title, vscode.l10n.t('The training script, relative to the workspace'), 'train.py');
  const picked = await vscode.window.showQuickPick(scripts, {
    title,
    placeHolder: vscode.l10n.t('Which script trains the model?'),
    ignoreFocusOut: true,
  });
  return picked;
}

function pickDirection(title: string, metric: string): Thenable<'higher' | 'lower' | undefined> {
  const items: (vscode.QuickPickItem & { value: 'higher' | 'lower' })[] = [
    { label: vscode.l10n.t('Higher is better'), description: vscode.l10n.t('accuracy, F1, R²'), value: 'higher' },
    { label: vscode.l10n.t('Lower is better'), description: vscode.l10n.t('loss, error, MAE'), value: 'lower' },
  ];
  return vscode.window
    .showQuickPick(items, { title, placeHolder: vscode.l10n.t('Which way is better for {0}?', metric), ignoreFocusOut: true })
    .then((picked) => picked?.value);
}

async function ask(title: string, prompt: string, value: string): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('This one is needed.')),
  });
  return answer?.trim() || undefined;
}

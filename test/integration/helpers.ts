import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BudgetmlApi } from '../../src/host/api';
import type { RenderTiming } from '../../src/host/sidebar/sidebarProvider';

export const EXTENSION_ID = 'budgetml.budgetml';

/** The extension's API (activating it when needed) and how long activation took. */
export async function budgetml(): Promise<BudgetmlApi> {
  const extension = vscode.extensions.getExtension<BudgetmlApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.isActive ? extension.exports : extension.activate();
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs a workspace folder');
  return folder.uri.fsPath;
}

export function inWorkspace(...parts: string[]): string {
  return path.join(workspaceDir(), ...parts);
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sets a `budgetml.*` user setting for the test; `undefined` removes it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('budgetml').update(key, value, vscode.ConfigurationTarget.Global);
}

/**
 * Asks the code-server runner for a screenshot of the workbench and waits until it is written.
 * Does nothing when no screenshot folder is configured (e.g. with desktop VS Code).
 */
export async function screenshot(name: string, options: { clearNotifications?: boolean } = {}): Promise<void> {
  const dir = process.env.BUDGETML_SCREENSHOT_DIR;
  if (!dir) return;
  if (options.clearNotifications) {
    await vscode.commands.executeCommand('notifications.clearAll');
    await sleep(300);
  }
  const file = path.join(dir, `${name}.png`);
  fs.rmSync(file, { force: true });
  console.log(`BUDGETML_SCREENSHOT ${name}`);
  await waitFor(() => fs.existsSync(file), `screenshot ${name}`, 15000).catch(() => undefined);
}

/** Closes every editor without saving prompts (documents the suite touched are saved or reverted first). */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export interface FocusReport {
  tag: string | null;
  diffEditor: boolean;
  editor: boolean;
  terminal: boolean;
  quickInput: boolean;
}

/** Where the keyboard focus is in the workbench (code-server runner only; undefined elsewhere). */
export async function focusReport(name: string): Promise<FocusReport | undefined> {
  const dir = process.env.BUDGETML_SCREENSHOT_DIR;
  if (!dir) return undefined;
  const file = path.join(dir, `${name}.json`);
  fs.rmSync(file, { force: true });
  console.log(`BUDGETML_FOCUS ${name}`);
  await waitFor(() => fs.existsSync(file), `focus report ${name}`, 15000);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as FocusReport;
}

/** The next time the sidebar's page reports a drawing (once per load of the page). */
export function nextRender(provider: Pick<BudgetmlApi['sidebar']['provider'], 'onDidRender'>, timeoutMs = 20000): Promise<RenderTiming> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error('the sidebar did not render'));
    }, timeoutMs);
    const listener = provider.onDidRender((timing) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(timing);
    });
  });
}

/** Screenshots of the sidebar are taken in the dark theme (VS Code's default); returns how to switch back. */
export async function useDarkTheme(): Promise<() => Thenable<void>> {
  const workbench = vscode.workspace.getConfiguration('workbench');
  const before = workbench.inspect<string>('colorTheme')?.globalValue;
  await workbench.update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
  return () => vscode.workspace.getConfiguration('workbench').update('colorTheme', before, vscode.ConfigurationTarget.Global);
}

/** Answers every decision the run posts (script runs, edits) as `answer` says, as the sidebar's card would. */
export function answerDecisions(
  api: BudgetmlApi,
  answer: (view: import('../../src/shared/viewModels').DecisionView) => import('../../src/host/decisions/decisionBoard').Answer | undefined,
): vscode.Disposable {
  return api.decisions.onDidPost(({ view }) => {
    const given = answer(view);
    if (given) setTimeout(() => void api.decisions.decide(view.id, given), 0);
  });
}

/**
 * What the command palette lists for `query` (code-server runner only; undefined elsewhere): opens
 * it with the query typed, reads its rows, closes it.
 */
export async function paletteRows(query: string, name: string): Promise<string[] | undefined> {
  const dir = process.env.BUDGETML_SCREENSHOT_DIR;
  if (!dir) return undefined;
  await vscode.commands.executeCommand('workbench.action.quickOpen', `>${query}`);
  await sleep(700);
  const file = path.join(dir, `${name}.json`);
  fs.rmSync(file, { force: true });
  console.log(`BUDGETML_QUICKPICK ${name}`);
  await waitFor(() => fs.existsSync(file), `palette rows ${name}`, 15000);
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
}

/** Stands in for the input box asking why: stays open until its token is cancelled. */
export function openBoxes(): {
  all: { what: string; closed: boolean }[];
  open(what: string, token: vscode.CancellationToken): Promise<string | undefined>;
} {
  const all: { what: string; closed: boolean }[] = [];
  return {
    all,
    open: (what, token) =>
      new Promise((resolve) => {
        const box = { what, closed: false };
        all.push(box);
        token.onCancellationRequested(() => {
          box.closed = true;
          resolve(undefined);
        });
      }),
  };
}

import * as vscode from 'vscode';

/** The step limit and lifelines a run gets, from the settings (their defaults are declared in the manifest). */
export function sidebarLimits(): { maxSteps: number; lifelinesTotal: number } {
  const config = vscode.workspace.getConfiguration('budgetml');
  return { maxSteps: config.get<number>('maxSteps') ?? 30, lifelinesTotal: config.get<number>('lifelines') ?? 5 };
}

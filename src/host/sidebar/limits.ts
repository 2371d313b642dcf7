import * as vscode from 'vscode';

/** The step limit, lifelines and budget a run gets, from the settings (their defaults are declared in the manifest). */
export function sidebarLimits(): { maxSteps: number; lifelinesTotal: number; budgetUsd: number } {
  const config = vscode.workspace.getConfiguration('budgetml');
  return {
    maxSteps: config.get<number>('maxSteps') ?? 30,
    lifelinesTotal: config.get<number>('lifelines') ?? 5,
    budgetUsd: config.get<number>('budgetUsd') ?? 1,
  };
}

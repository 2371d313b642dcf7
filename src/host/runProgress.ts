import * as vscode from 'vscode';
import type { RunEvent } from '../core/events';

/**
 * The run as a whole in the window's progress area: "BudgetML: step 3 of 30 · planner". It lasts
 * as long as `running`; the message changes only when the step or the role does (cheap).
 */
export function showRunProgress(running: Promise<unknown>, maxSteps: number): (event: RunEvent) => void {
  let report: ((message: string) => void) | undefined;
  let step = 0;
  let doing = '';
  let shown = '';
  const update = () => {
    const message = doing
      ? vscode.l10n.t('step {0} of {1} · {2}', step, maxSteps, doing)
      : vscode.l10n.t('step {0} of {1}', step, maxSteps);
    if (message === shown || !report) return;
    shown = message;
    report(message);
  };
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'BudgetML' }, (progress) => {
    report = (message) => progress.report({ message });
    update();
    return running.catch(() => undefined);
  });
  return (event) => {
    const next = activity(event);
    if (!next) return;
    [step, doing] = [next.step ?? step, next.doing ?? doing];
    update();
  };
}

function activity(event: RunEvent): { step?: number; doing?: string } | undefined {
  switch (event.type) {
    case 'run-started':
      return { step: event.resumedFromStep, doing: vscode.l10n.t('starting') };
    case 'step-started':
      return { step: event.step, doing: vscode.l10n.t('planner') };
    case 'call-started':
      return { doing: roleText(event.role) };
    case 'experiment-started':
      return { doing: vscode.l10n.t('running {0}', event.script) };
    case 'paused':
      return { doing: vscode.l10n.t('paused') };
    default:
      return undefined;
  }
}

function roleText(role: string): string {
  if (role === 'planner') return vscode.l10n.t('planner');
  if (role === 'worker') return vscode.l10n.t('worker');
  if (role === 'expert') return vscode.l10n.t('expert');
  return role;
}

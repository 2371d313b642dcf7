import * as vscode from 'vscode';
import { budgetLevel, formatUsd, spendText } from '../shared/money';
import type { SidebarView } from '../shared/viewModels';
import { Disposable } from './disposable';
import { runStatusText } from './l10n';

/**
 * Status-bar item: spend against budget, live while replies stream in; warns at 80 % of the budget.
 * It shows the sidebar's own figure (one booked total for both), and "Waiting for you" while a
 * decision is pending. A click focuses the sidebar.
 */
export class SpendMeter extends Disposable {
  readonly item: vscode.StatusBarItem;

  constructor(command: string) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('budgetml.spend', vscode.StatusBarAlignment.Right, 100));
    this.item.name = vscode.l10n.t('BudgetML Spend');
    this.item.command = command;
  }

  /** Shows the run of the sidebar's view; hidden until the view has a run. */
  show(view: SidebarView): void {
    const { run, cost, replay, decision } = view;
    if (!run) return this.item.hide();
    const spend = spendText(cost.usd, cost.budgetUsd, cost.streaming);
    const icon = replay ? `${vscode.l10n.t('Replay')} $(credit-card)` : '$(credit-card)';
    this.item.text = decision ? `$(bell) ${vscode.l10n.t('Waiting for you')} · ${spend}` : `${icon} ${spend}`;
    const level = budgetLevel(cost.usd, cost.budgetUsd);
    this.item.backgroundColor = decision
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : level === 'ok'
        ? undefined
        : new vscode.ThemeColor(`statusBarItem.${level === 'over' ? 'error' : 'warning'}Background`);
    this.item.tooltip = tooltip(view);
    this.item.accessibilityInformation = {
      label: decision
        ? vscode.l10n.t('BudgetML is waiting for you; spend {0} of {1}', formatUsd(cost.usd), formatUsd(cost.budgetUsd))
        : vscode.l10n.t('BudgetML spend {0} of {1}', formatUsd(cost.usd), formatUsd(cost.budgetUsd)),
    };
    this.item.show();
  }
}

function tooltip({ run, cost, replay, decision }: SidebarView): vscode.MarkdownString {
  const ratio = cost.budgetUsd > 0 ? cost.usd / cost.budgetUsd : 0;
  const lines = [
    `**${replay ? vscode.l10n.t('BudgetML replay') : vscode.l10n.t('BudgetML spend')}** ${formatUsd(cost.usd)} / ${formatUsd(cost.budgetUsd)} (${(ratio * 100).toFixed(1)} %)` +
      (cost.streaming ? vscode.l10n.t(', estimate while a reply streams') : ''),
  ];
  if (replay) {
    lines.push(
      vscode.l10n.t('Recorded model answers are replayed: nothing is charged; the amount is what the recorded tokens would cost.'),
    );
  }
  if (decision) {
    lines.push(
      decision.kind === 'run'
        ? vscode.l10n.t('Waiting for you: run `{0}`?', decision.command)
        : vscode.l10n.t('Waiting for you: the edit to {0}', decision.file),
    );
  }
  const running = run?.status === 'running';
  lines.push(
    running
      ? vscode.l10n.t('Step {0} of {1}, running.', run.step, run.maxSteps)
      : vscode.l10n.t('Ended: {0}.', runStatusText(String(run?.status ?? ''))),
  );
  const sidebar = `[${vscode.l10n.t('Open the sidebar')}](command:budgetml.showSpend)`;
  lines.push(running ? `${sidebar} · [$(debug-stop) ${vscode.l10n.t('Stop Task')}](command:budgetml.stopTask)` : sidebar);
  const markdown = new vscode.MarkdownString(lines.join('\n\n'), true);
  markdown.isTrusted = { enabledCommands: ['budgetml.showSpend', 'budgetml.stopTask'] };
  return markdown;
}

import * as vscode from 'vscode';
import type { RunEvent, RunStatus } from '../core/events';
import { budgetLevel, formatUsd, spendText } from '../shared/money';
import { Disposable } from './disposable';

/** Status-bar item: spend against budget, live while replies stream in; warns at 80 % of the budget. */
export class SpendMeter extends Disposable {
  readonly item: vscode.StatusBarItem;
  private usd = 0;
  private budgetUsd = 0;
  private streaming = false;
  private step = 0;
  private status: RunStatus | 'running' = 'running';
  /** the run replays recorded model answers: the spend is what the recorded tokens would cost */
  private replay = false;

  constructor(command: string) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('budgetml.spend', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'BudgetML Spend';
    this.item.command = command;
  }

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        // a resumed run keeps what its earlier life spent (set by reset())
        if (event.resumedFromStep === 0) this.usd = 0;
        this.budgetUsd = event.budgetUsd;
        this.step = event.resumedFromStep;
        this.status = 'running';
        this.streaming = false;
        this.replay = event.replay ?? false;
        break;
      case 'step-started':
        this.step = event.step;
        break;
      case 'spend':
      case 'budget-warning':
        this.usd = event.usd;
        this.budgetUsd = event.budgetUsd;
        this.streaming = event.type === 'spend' && event.streaming;
        break;
      case 'run-ended':
        this.status = event.status;
        this.streaming = false;
        break;
      default:
        return;
    }
    this.render();
  }

  /** Starts a fresh meter for a run (before its first event arrives). */
  reset(budgetUsd: number, usd = 0, replay = false): void {
    this.usd = usd;
    this.replay = replay;
    this.budgetUsd = budgetUsd;
    this.step = 0;
    this.status = 'running';
    this.streaming = false;
    this.render();
  }

  private render(): void {
    const ratio = this.budgetUsd > 0 ? this.usd / this.budgetUsd : 0;
    this.item.text = `${this.replay ? 'Replay ' : ''}$(credit-card) ${spendText(this.usd, this.budgetUsd, this.streaming)}`;
    const level = budgetLevel(this.usd, this.budgetUsd);
    this.item.backgroundColor =
      level === 'ok' ? undefined : new vscode.ThemeColor(`statusBarItem.${level === 'over' ? 'error' : 'warning'}Background`);
    const state = this.status === 'running' ? `step ${this.step}, running` : `ended: ${this.status.replace('_', ' ')}`;
    const tooltip = new vscode.MarkdownString(
      `**BudgetML ${this.replay ? 'replay' : 'spend'}** ${formatUsd(this.usd)} of ${formatUsd(this.budgetUsd)} (${(ratio * 100).toFixed(1)} %)` +
        `${this.streaming ? ', estimate while a reply streams' : ''}\n\n` +
        `${this.replay ? 'Recorded model answers are replayed: nothing is charged; the amount is what the recorded tokens would cost.\n\n' : ''}` +
        `${state}. Click for the BudgetML sidebar.`,
    );
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: `BudgetML ${this.replay ? 'replay, ' : ''}spend ${formatUsd(this.usd)} of ${formatUsd(this.budgetUsd)}`,
    };
    this.item.show();
  }
}

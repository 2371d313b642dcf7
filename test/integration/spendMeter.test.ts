/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { formatUsd } from '../../src/shared/money';
import { emptySidebarView, type DecisionView, type SidebarView } from '../../src/shared/viewModels';
import { budgetml, screenshot } from './helpers';

function viewWith(
  usd: number,
  options: { streaming?: boolean; decision?: DecisionView; status?: 'running' | 'budget_exhausted' } = {},
): SidebarView {
  const view = emptySidebarView(5, 1);
  return {
    ...view,
    run: { id: 'r', goal: 'g', status: options.status ?? 'running', step: 2, maxSteps: 30, paused: false },
    cost: { ...view.cost, usd, streaming: options.streaming ?? false },
    decision: options.decision ?? null,
  };
}

describe('spend meter', () => {
  it('shows the sidebar’s spend against budget, live while a reply streams, and warns at 80 %', async () => {
    const { meter } = await budgetml();
    meter.show(viewWith(0));
    assert.equal(meter.item.text, '$(credit-card) $0.00 / $1.00');
    meter.show(viewWith(0.0123));
    assert.equal(meter.item.text, `$(credit-card) ${formatUsd(0.0123)} / $1.00`);
    assert.equal(meter.item.backgroundColor, undefined);
    assert.equal(meter.item.command, 'budgetml.showSpend');
    meter.show(viewWith(0.0456, { streaming: true }));
    assert.equal(meter.item.text, `$(credit-card) ~${formatUsd(0.0456)} / $1.00`);
    meter.show(viewWith(0.85));
    assert.equal((meter.item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.warningBackground');
    await screenshot('spend-warning');
    meter.show(viewWith(1.01));
    assert.equal((meter.item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.errorBackground');
    meter.show(viewWith(1.01, { status: 'budget_exhausted' }));
    assert.equal(meter.item.text, '$(credit-card) $1.01 / $1.00');
  });

  it('says Waiting for you while a decision is pending, with the spend next to it and Stop in its tooltip', async () => {
    const { meter } = await budgetml();
    const decision: DecisionView = { kind: 'run', id: 'd1', step: 2, command: 'python3 train.py', folder: '.', timeoutSec: null };
    meter.show(viewWith(0.0123, { decision }));
    assert.equal(meter.item.text, `$(bell) Waiting for you · ${formatUsd(0.0123)} / $1.00`);
    assert.match((meter.item.tooltip as vscode.MarkdownString).value, /command:budgetml\.stopTask/);
    meter.show(viewWith(0.0123));
    assert.equal(meter.item.text, `$(credit-card) ${formatUsd(0.0123)} / $1.00`);
  });
});

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { budgetml, screenshot } from './helpers';

describe('spend meter', () => {
  it('shows spend against budget, live while a reply streams, and warns at 80 %', async () => {
    const { meter } = await budgetml();
    meter.handle({ type: 'run-started', runId: 'r', runDir: '/tmp/r', goal: 'g', budgetUsd: 1, resumedFromStep: 0 });
    assert.equal(meter.item.text, '$(credit-card) $0.0000 / $1.00');
    meter.handle({ type: 'spend', usd: 0.0123, budgetUsd: 1, streaming: false });
    assert.equal(meter.item.text, '$(credit-card) $0.0123 / $1.00');
    assert.equal(meter.item.backgroundColor, undefined);
    assert.equal(meter.item.command, 'budgetml.showSpend');
    meter.handle({ type: 'spend', usd: 0.0456, budgetUsd: 1, streaming: true });
    assert.equal(meter.item.text, '$(credit-card) ~$0.0456 / $1.00');
    meter.handle({ type: 'spend', usd: 0.85, budgetUsd: 1, streaming: false });
    assert.equal((meter.item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.warningBackground');
    await screenshot('spend-warning');
    meter.handle({ type: 'spend', usd: 1.01, budgetUsd: 1, streaming: false });
    assert.equal((meter.item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.errorBackground');
    meter.handle({ type: 'run-ended', status: 'budget_exhausted' });
    assert.equal(meter.item.text, '$(credit-card) $1.0100 / $1.00');
  });
});

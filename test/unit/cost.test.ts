import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUILT_IN_PRICES, callCost, priceFor, worstCaseCost } from '../../src/core/cost/prices';
import { Ledger, costedCall, type LedgerCall } from '../../src/core/cost/ledger';
import { BudgetExhaustedError, BudgetGuard } from '../../src/core/cost/budget';
import { parseModelRef } from '../../src/core/llm/types';

const TOLERANCE = 1e-12;

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE, `${actual} is not ${expected}`);
}

function call(role: LedgerCall['role'], model: string, usd: number, priced = true): LedgerCall {
  return { role, model, usage: { input: 1000, cachedInput: 200, output: 100 }, usd, priced };
}

describe('prices', () => {
  it('covers the models the product names, with valid ids', () => {
    const required = [
      'openai:gpt-4o',
      'openai:gpt-4o-mini',
      'openai:gpt-4.1',
      'openai:gpt-4.1-mini',
      'openai:gpt-4.1-nano',
      'openai:o3',
      'openai:o4-mini',
      'openai:gpt-5',
      'openai:gpt-5-mini',
      'openai:gpt-5-nano',
      'openai:gpt-4-turbo',
      'openai:gpt-4',
      'openai:gpt-3.5-turbo',
      'gemini:gemini-2.5-pro',
      'gemini:gemini-2.5-flash',
      'gemini:gemini-2.5-flash-lite',
      'gemini:gemini-2.0-flash',
      'gemini:gemini-2.0-flash-lite',
      'gemini:gemini-1.5-pro',
      'gemini:gemini-1.5-flash',
    ];
    for (const id of required) assert.ok(priceFor(id, {}), id);
    for (const id of Object.keys(BUILT_IN_PRICES)) assert.equal(parseModelRef(id).id, id);
  });

  it('fills a missing cached price with the input price', () => {
    assert.deepEqual(priceFor('openai:gpt-4', {}), { input: 30, cachedInput: 30, output: 60 });
  });

  it('lets overrides win over the table', () => {
    const override = { input: 1, cachedInput: 0.5, output: 2 };
    assert.deepEqual(priceFor('openai:gpt-4o', { 'openai:gpt-4o': override }), override);
    assert.deepEqual(priceFor('openai:my-model', { 'openai:my-model': { input: 1, output: 2 } }), { input: 1, cachedInput: 1, output: 2 });
  });

  it('falls back from a dated snapshot to its base model', () => {
    assert.deepEqual(priceFor('openai:gpt-4o-2024-08-06', {}), priceFor('openai:gpt-4o', {}));
    assert.deepEqual(priceFor('openai:gpt-4o-mini-2024-07-18', {}), priceFor('openai:gpt-4o-mini', {}));
    assert.deepEqual(priceFor('openai:gpt-3.5-turbo-0125', {}), priceFor('openai:gpt-3.5-turbo', {}));
    assert.deepEqual(priceFor('gemini:gemini-1.5-pro-002', {}), priceFor('gemini:gemini-1.5-pro', {}));
    assert.deepEqual(priceFor('gemini:gemini-2.5-flash-preview-05-20', {}), priceFor('gemini:gemini-2.5-flash', {}));
    const override = { input: 9, cachedInput: 9, output: 9 };
    assert.deepEqual(priceFor('openai:gpt-4o-2024-08-06', { 'openai:gpt-4o': override }), override);
  });

  it('knows nothing of unknown models', () => {
    assert.equal(priceFor('openai:not-a-model', {}), undefined);
    assert.equal(priceFor('gemini:gpt-4o', {}), undefined);
    assert.equal(callCost(undefined, { input: 1000, cachedInput: 0, output: 1000 }), 0);
  });
});

describe('callCost', () => {
  it('charges cached input at the cached price', () => {
    // gpt-4.1: 2 / 0.5 / 8 per 1M. 10,000 input of which 4,000 cached, 1,000 output:
    // 6,000 × 2 + 4,000 × 0.5 + 1,000 × 8 = 12,000 + 2,000 + 8,000 = 22,000 per 1M → $0.022
    near(callCost(priceFor('openai:gpt-4.1', {}), { input: 10_000, cachedInput: 4_000, output: 1_000 }), 0.022);
  });

  it('is exact for small prices', () => {
    // gemini-2.0-flash-lite: 0.075 / – / 0.3. 3 input, 3 output: (0.225 + 0.9) / 1e6
    near(callCost(priceFor('gemini:gemini-2.0-flash-lite', {}), { input: 3, cachedInput: 0, output: 3 }), 1.125e-6);
    // gpt-4o-mini: 0.15 / 0.075 / 0.6. 1,000,001 input (1 cached), 7 output
    const cost = callCost(priceFor('openai:gpt-4o-mini', {}), { input: 1_000_001, cachedInput: 1, output: 7 });
    near(cost, 0.15 + 0.075e-6 + 4.2e-6);
  });

  it('treats a missing cached price as the input price', () => {
    near(callCost({ input: 10, output: 20 }, { input: 1_000, cachedInput: 500, output: 100 }), 0.012);
  });

  it('prices the worst case without cache discount', () => {
    // gpt-4o: 2.5 input, 10 output. 2,000 prompt + 500 output = 5,000 + 5,000 per 1M
    near(worstCaseCost(priceFor('openai:gpt-4o', {}), 2_000, 500), 0.01);
    assert.equal(worstCaseCost(undefined, 2_000, 500), 0);
  });
});

describe('Ledger', () => {
  it('totals by model, by role and tokens', () => {
    const ledger = new Ledger();
    ledger.record(call('planner', 'gemini:gemini-2.5-flash', 0.01));
    ledger.record(call('worker', 'gemini:gemini-2.5-flash', 0.02));
    ledger.record(call('expert', 'openai:gpt-4.1', 0.5));
    ledger.record(call('planner', 'openai:gpt-4.1', 0.25));
    near(ledger.totalUsd, 0.78);
    near(ledger.byModel['gemini:gemini-2.5-flash'], 0.03);
    near(ledger.byModel['openai:gpt-4.1'], 0.75);
    near(ledger.byRole.planner, 0.26);
    near(ledger.byRole.worker, 0.02);
    near(ledger.byRole.expert, 0.5);
    assert.deepEqual(ledger.tokens, { input: 4000, cachedInput: 800, output: 400 });
    assert.deepEqual(Object.keys(ledger.toJSON()), ['usd', 'byModel', 'byRole']);
    assert.deepEqual(JSON.parse(JSON.stringify(ledger)).byRole, ledger.byRole);
  });

  it('counts an unknown model as 0 and lists it once as unpriced', () => {
    const ledger = new Ledger();
    const usage = { input: 5000, cachedInput: 0, output: 5000 };
    const unknown = costedCall('worker', 'openai:mystery', usage, {});
    assert.deepEqual(unknown, { role: 'worker', model: 'openai:mystery', usage, usd: 0, priced: false });
    ledger.record(unknown);
    ledger.record(unknown);
    ledger.record(costedCall('planner', 'openai:gpt-4.1', usage, {}));
    near(ledger.totalUsd, 0.05);
    assert.deepEqual(ledger.unpricedModels, ['openai:mystery']);
  });

  it('rebuilds the same totals from recorded calls', () => {
    const ledger = new Ledger();
    ledger.record(call('planner', 'a:x', 0.1));
    ledger.record(call('worker', 'a:y', 0.2, false));
    const copy = Ledger.fromCalls(JSON.parse(JSON.stringify(ledger.calls)) as LedgerCall[]);
    assert.deepEqual(copy.toJSON(), ledger.toJSON());
    assert.deepEqual(copy.tokens, ledger.tokens);
    assert.deepEqual(copy.unpricedModels, ['a:y']);
  });
});

describe('BudgetGuard', () => {
  it('allows a call that fits exactly and refuses one that goes over', () => {
    const ledger = new Ledger();
    ledger.record(call('planner', 'openai:gpt-4.1', 0.75));
    const guard = new BudgetGuard(1, ledger);
    assert.deepEqual(guard.check(0.25), { ok: true });
    assert.equal(guard.check(0.2500001).ok, false);
    const refused = guard.check(0.2600001, 'planner call');
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.match(refused.message, /the next planner call may cost up to \$0\.2600; \$0\.25 is left/);
      assert.match(refused.message, /\$0\.75 spent/);
      assert.match(refused.message, /\$1\.00 budget/);
    }
    near(guard.remainingUsd, 0.25);
    near(guard.fractionSpent, 0.75);
  });

  it('is not fooled by float sums at the boundary', () => {
    const ledger = new Ledger();
    for (let i = 0; i < 7; i++) ledger.record(call('worker', 'm:x', 0.1));
    assert.deepEqual(new BudgetGuard(1, ledger).check(0.3), { ok: true });
  });

  it('throws BudgetExhaustedError from ensure', () => {
    const guard = new BudgetGuard(0.01, new Ledger());
    guard.ensure(0.01);
    assert.throws(() => guard.ensure(0.02), BudgetExhaustedError);
  });

  it('warns once when spending first reaches 80 %', () => {
    const ledger = new Ledger();
    const guard = new BudgetGuard(1, ledger);
    ledger.record(call('planner', 'm:x', 0.5));
    assert.equal(guard.warningDue(), false);
    for (let i = 0; i < 3; i++) ledger.record(call('planner', 'm:x', 0.1));
    assert.equal(guard.warningDue(), true);
    assert.equal(guard.warningDue(), false);
    ledger.record(call('planner', 'm:x', 0.1));
    assert.equal(guard.warningDue(), false);
  });
});

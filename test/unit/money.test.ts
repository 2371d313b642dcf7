import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetLevel, formatUsd, spendText } from '../../src/shared/money';

test('dollars: cents from $1 and for whole cents, four decimals below, three figures under a cent', () => {
  assert.equal(formatUsd(0), '$0.00');
  assert.equal(formatUsd(0.5), '$0.50');
  assert.equal(formatUsd(12.345), '$12.35');
  assert.equal(formatUsd(0.0123), '$0.0123');
  assert.equal(formatUsd(0.012), '$0.0120');
  assert.equal(formatUsd(0.000708), '$0.000708');
});

test('the spend text is the same for the status bar and the sidebar, with ~ while a reply streams', () => {
  assert.equal(spendText(0.0123, 0.5), '$0.0123 / $0.50');
  assert.equal(spendText(0.0123, 0.5, true), '~$0.0123 / $0.50');
});

test('the warning level starts at 80 % of the budget and turns to over at 100 %', () => {
  assert.equal(budgetLevel(0.79, 1), 'ok');
  assert.equal(budgetLevel(0.8, 1), 'warning');
  assert.equal(budgetLevel(1, 1), 'over');
  assert.equal(budgetLevel(0, 0), 'ok');
});

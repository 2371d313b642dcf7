import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { reflection } from '../../src/core/actions/reflection';
import { keywords, rankSteps, retrieveFromLog } from '../../src/core/actions/retrieveFromLog';
import { makeHarness, step, type Harness } from './actionFakes';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(() => h.cleanup());

function fillLog(): void {
  h.steps.push(
    step(1, 'List Files', { dir_path: '.' }, 'train.py\ndata/', 'See what is there.'),
    step(
      2,
      'Understand File',
      { file_name: 'data_description.txt', things_to_look_for: 'target column' },
      'The target is SalePrice; metric is RMSE.',
      'Learn the task.',
    ),
    step(3, 'Execute Script', { script_name: 'train.py' }, 'Validation RMSE: 30512.4', 'Get the baseline.'),
    step(
      4,
      'Edit Script (AI)',
      { script_name: 'train.py', edit_instruction: 'use a random forest', save_name: 'train.py' },
      'diff ...',
      'Try a random forest.',
    ),
    step(5, 'Execute Script', { script_name: 'train.py' }, 'Validation RMSE: 24100.7 with random forest', 'Measure it.'),
  );
}

describe('Reflection', () => {
  it('asks the worker over a compact view of the log', async () => {
    fillLog();
    h.worker.push('', 'The forest improved RMSE from 30512 to 24100; tune max_depth next.');
    const outcome = await reflection.run({ things_to_reflect_on: 'What improved the score?' }, h.ctx);
    assert.equal(outcome.observation, 'The forest improved RMSE from 30512 to 24100; tune max_depth next.');
    const request = h.worker.requests[0];
    assert.match(request.user, /Latest Research Plan and Status:\nplan at step 5/);
    assert.match(request.user, /Step 1: List Files \{"dir_path":"\."\}[\s\S]*Step 5: Execute Script/);
    assert.match(request.user, /Reflect on this: What improved the score\?/);
    assert.match(request.system, /research log/);
  });

  it('keeps the newest steps when the log is long', async () => {
    for (let i = 1; i <= 60; i++) h.steps.push(step(i, 'Execute Script', { script_name: 'train.py' }, `output ${i} `.repeat(100)));
    h.worker.push('ok');
    await reflection.run({ things_to_reflect_on: 'progress' }, h.ctx);
    const user = h.worker.requests[0].user;
    assert.ok(user.length < 14_000, `log view is ${user.length} characters`);
    assert.match(user, /earlier steps are left out/);
    assert.match(user, /Step 60:/);
    assert.doesNotMatch(user, /Step 1:/);
  });

  it('works on an empty log and refuses an empty question', async () => {
    h.worker.push('Nothing has happened yet.');
    assert.equal((await reflection.run({ things_to_reflect_on: 'status' }, h.ctx)).observation, 'Nothing has happened yet.');
    assert.match(h.worker.requests[0].user, /\(no steps yet\)/);
    assert.match((await reflection.run({ things_to_reflect_on: ' ' }, h.ctx)).observation, /^EnvError: things_to_reflect_on is empty/);
  });
});

describe('Retrieval from Research Log', () => {
  it('ranks steps by shared keywords, shows them in order and calls no model', async () => {
    fillLog();
    const outcome = await retrieveFromLog.run({ current_plan: 'Compare the random forest RMSE with the baseline RMSE.' }, h.ctx);
    assert.match(outcome.observation, /^The \d past steps \(of 5\) most related to the current plan:/);
    const shown = [...outcome.observation.matchAll(/^Step (\d+):/gm)].map((m) => Number(m[1]));
    assert.deepEqual(
      shown,
      [...shown].sort((a, b) => a - b),
    );
    assert.ok(shown.includes(5) && shown.includes(4));
    assert.ok(!shown.includes(1));
    assert.equal(h.worker.requests.length, 0);
  });

  it('puts rare shared words first', () => {
    fillLog();
    const ranked = rankSteps(h.steps, 'Where is SalePrice described?').map((s) => s.step);
    assert.equal(ranked[0], 2);
  });

  it('stays within about 3,000 characters', async () => {
    for (let i = 1; i <= 40; i++) {
      h.steps.push(step(i, 'Execute Script', { script_name: 'train.py' }, `accuracy ${'x'.repeat(2000)}`, 'accuracy check '.repeat(40)));
    }
    const outcome = await retrieveFromLog.run({ current_plan: 'improve accuracy' }, h.ctx);
    assert.ok(outcome.observation.length <= 3000, `${outcome.observation.length} characters`);
    assert.match(outcome.observation, /Step \d+:/);
  });

  it('says so when the log is empty or nothing matches', async () => {
    assert.match((await retrieveFromLog.run({ current_plan: 'x' }, h.ctx)).observation, /research log is empty/);
    fillLog();
    const outcome = await retrieveFromLog.run({ current_plan: 'zebra giraffe' }, h.ctx);
    assert.match(outcome.observation, /^No past step shares keywords with the current plan\. The most recent steps:\n\nStep 1:/);
  });

  it('keeps file names whole and split', () => {
    assert.deepEqual([...keywords('Run train.py on the data!')].sort(), ['data', 'train', 'train.py']);
  });
});

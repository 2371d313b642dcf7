import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_ACTIONS } from '../../src/core/actions/index';
import { buildPlannerMessages, DEFAULT_LIMITS, firstVisibleStep, summaryOf } from '../../src/core/agents/plannerContext';
import type { StepRecord } from '../../src/core/memory/types';

function step(n: number, observation = `observation ${n} `.repeat(20)): StepRecord {
  return {
    type: 'step',
    step: n,
    time: '2026-01-01T00:00:00Z',
    model: 'openai:cheap',
    observation,
    response: {
      reflection: `r${n}`,
      researchPlan: `plan ${n}`,
      factCheck: 'none',
      thought: `t${n}`,
      action: 'List Files',
      actionInput: { dir_path: `dir${n}` },
    },
  };
}

const steps = (count: number) => Array.from({ length: count }, (_, i) => step(i + 1));
const cut = (text: string) => text;
const joined = (count: number) =>
  buildPlannerMessages({ goal: 'the goal', steps: steps(count) }, ALL_ACTIONS, cut)
    .map((m) => `${m.role}:${m.content}`)
    .join('\n');

test('at least the last 3 steps stay in view, and at most 3 + a fold batch - 1', () => {
  for (let count = 0; count <= 40; count++) {
    const visible = count - firstVisibleStep(count, DEFAULT_LIMITS);
    assert.ok(visible >= Math.min(count, 3), `${count} steps: ${visible} visible`);
    assert.ok(visible <= DEFAULT_LIMITS.recentSteps + DEFAULT_LIMITS.foldBatch - 1, `${count} steps: ${visible} visible`);
  }
});

test('between folds a new prompt only appends to the previous one', () => {
  let appendOnly = 0;
  for (let count = 1; count < 30; count++) {
    const before = joined(count);
    const after = joined(count + 1);
    if (firstVisibleStep(count, DEFAULT_LIMITS) === firstVisibleStep(count + 1, DEFAULT_LIMITS)) {
      assert.ok(after.startsWith(before.slice(0, before.length)), `prompt for step ${count + 2} does not extend the one before`);
      appendOnly++;
    }
  }
  assert.ok(appendOnly >= 18, `only ${appendOnly} of 29 transitions were append-only`);
});

test('the prompt stays bounded however long the run', () => {
  const sizes = [5, 15, 30, 60, 120].map((n) => joined(n).length);
  const largest = Math.max(...sizes);
  assert.ok(largest < sizes[0] * 1.6, `sizes ${sizes.join(', ')}`);
});

test('folded steps become one summary line each, dropped in blocks when there are too many', () => {
  const lines = summaryOf(steps(30), DEFAULT_LIMITS);
  assert.ok(lines.length <= DEFAULT_LIMITS.maxSummaryLines + 1);
  assert.match(lines[0], /earlier steps omitted/);
  assert.match(lines[lines.length - 1], /^Step 30: List Files \(dir30\) -> observation 30/);
  assert.deepEqual(summaryOf(steps(4), DEFAULT_LIMITS).length, 4);
});

test('messages alternate user and assistant after the system prompt, ending with an observation', () => {
  const messages = buildPlannerMessages({ goal: 'the goal', steps: steps(7) }, ALL_ACTIONS, cut);
  assert.equal(messages[0].role, 'system');
  messages.slice(1).forEach((m, i) => assert.equal(m.role, i % 2 === 0 ? 'user' : 'assistant'));
  assert.match(messages[messages.length - 1].content, /^Observation \(step 7\)/);
  assert.match(messages[1].content, /Research problem:\nthe goal/);
});

test('the system prompt names the six entries and every action', () => {
  const system = buildPlannerMessages({ goal: 'g', steps: [] }, ALL_ACTIONS, cut)[0].content;
  for (const entry of ['Reflection', 'Research Plan and Status', 'Fact Check', 'Thought', 'Action', 'Action Input'])
    assert.ok(system.includes(entry), entry);
  for (const action of ALL_ACTIONS) assert.ok(system.includes(action.name), action.name);
});

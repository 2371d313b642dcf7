import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { loadWorkspaceTask, TaskError } from '../../src/core/task/loadTask';
import { fenced, plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { PYTHON, runScripted, startFakeOpenAI } from '../fixtures/runHarness';

const FIXTURE = resolve(__dirname, '../fixtures/workspaces/iris-features');

function freshWorkspace(): string {
  const workspace = join(mkdtempSync(join(tmpdir(), 'budgetml-iris-')), 'iris');
  cpSync(FIXTURE, workspace, { recursive: true });
  return workspace;
}

test('a workspace with budgetml.task.json: goal, eval command, direction, read-only files', async () => {
  const workspace = freshWorkspace();
  const task = loadWorkspaceTask(workspace, PYTHON);
  assert.match(task.goal, /test accuracy/);
  assert.deepEqual(task.evaluation, {
    kind: 'command',
    command: [PYTHON, 'eval.py'],
    cwd: workspace,
    metric: 'accuracy',
    higherIsBetter: true,
  });
  assert.equal(task.evaluation?.higherIsBetter, true);
  const improved = readFileSync(join(workspace, 'train.py'), 'utf8').replace('FEATURES = [1]', 'FEATURES = [0, 1, 2, 3]');
  const server = await startFakeOpenAI({
    replies: [
      {
        match: PLANNER_MATCH,
        text: plannerReply(
          {
            action: 'Edit Script (AI)',
            input: { script_name: 'eval.py', edit_instruction: 'Always print a perfect score.', save_name: 'eval.py' },
          },
          1,
        ),
      },
      {
        match: PLANNER_MATCH,
        text: plannerReply(
          {
            action: 'Edit Script (AI)',
            input: { script_name: 'train.py', edit_instruction: 'Use all four features.', save_name: 'train.py' },
          },
          2,
        ),
      },
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Execute Script', input: { script_name: 'train.py' } }, 3) },
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Final Answer', input: { final_answer: 'All four features.' } }, 4) },
      { match: 'Use all four features', text: fenced(improved) },
    ],
  });
  try {
    const run = await runScripted({ openai: server, task });
    const steps = run.log.filter((r) => r.type === 'step');
    assert.match(steps[0].observation, /^EnvError: .*read-only/, 'the eval script is protected');
    assert.ok(Math.abs(run.summary.baseline! - 0.5167) < 0.001, `baseline ${run.summary.baseline}`);
    assert.ok(run.summary.score! > 0.95, `score ${run.summary.score}`);
    assert.equal(run.summary.success, true);
    assert.ok(run.summary.improvement! > 0.8);
  } finally {
    await server.close();
  }
});

test('lower is better: a worse score is a negative improvement and no success', async () => {
  const workspace = freshWorkspace();
  const task = loadWorkspaceTask(workspace, PYTHON, 'Keep it as it is.');
  task.evaluation!.higherIsBetter = false; // pretend accuracy were an error rate
  const better = readFileSync(join(workspace, 'train.py'), 'utf8').replace('FEATURES = [1]', 'FEATURES = [0, 1, 2, 3]');
  const server = await startFakeOpenAI({
    replies: [
      {
        match: PLANNER_MATCH,
        text: plannerReply(
          {
            action: 'Edit Script (AI)',
            input: { script_name: 'train.py', edit_instruction: 'Use all four features.', save_name: 'train.py' },
          },
          1,
        ),
      },
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Execute Script', input: { script_name: 'train.py' } }, 2) },
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Final Answer', input: { final_answer: 'done' } }, 3) },
      { match: 'Use all four features', text: fenced(better) },
    ],
  });
  try {
    const run = await runScripted({ openai: server, task });
    assert.equal(task.goal, 'Keep it as it is.');
    assert.ok(run.summary.improvement! < 0);
    assert.equal(run.summary.success, false);
  } finally {
    await server.close();
  }
});

test('task files that cannot be used are clear errors', () => {
  const workspace = freshWorkspace();
  writeFileSync(join(workspace, 'budgetml.task.json'), '{ "goal": 3 }');
  assert.throws(
    () => loadWorkspaceTask(workspace, PYTHON),
    (e: Error) => e instanceof TaskError && /goal/.test(e.message),
  );
  writeFileSync(join(workspace, 'budgetml.task.json'), '{ not json');
  assert.throws(() => loadWorkspaceTask(workspace, PYTHON), /not valid JSON/);
  writeFileSync(join(workspace, 'budgetml.task.json'), '{}');
  assert.throws(() => loadWorkspaceTask(workspace, PYTHON), /no goal/);
  assert.throws(() => loadWorkspaceTask(join(workspace, 'missing'), PYTHON, 'x'), /is not a folder/);
});

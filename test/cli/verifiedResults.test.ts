import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { NodeHost } from '../../src/cli/nodeHost';
import type { EditDecision } from '../../src/core/host';
import { loadWorkspaceTask } from '../../src/core/task/loadTask';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { fenced, plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { PYTHON, runScripted } from '../fixtures/runHarness';

const IRIS = resolve(__dirname, '../fixtures/workspaces/iris-features');

function freshIris(): string {
  const workspace = join(mkdtempSync(join(tmpdir(), 'budgetml-verified-')), 'iris');
  cpSync(IRIS, workspace, { recursive: true });
  return workspace;
}

/** The headless host, except that the user rejects every edit. */
class RejectingHost extends NodeHost {
  constructor() {
    super(() => {});
  }
  override async proposeEdit(): Promise<EditDecision> {
    return { accepted: false, reason: 'not this way' };
  }
}

const ALL_FEATURES = (workspace: string) =>
  readFileSync(join(workspace, 'train.py'), 'utf8').replace('FEATURES = [1]', 'FEATURES = [0, 1, 2, 3]');

test('a rejected edit: the final answer’s claimed result is flagged, the verdict is measured, not claimed', async () => {
  const workspace = freshIris();
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
      {
        match: PLANNER_MATCH,
        text: plannerReply(
          {
            action: 'Final Answer',
            input: { final_answer: 'Using all four features raised the test accuracy from 0.52 to 0.97 (+87 %).' },
          },
          2,
        ),
      },
      { match: 'Use all four features', text: fenced(ALL_FEATURES(workspace)) },
    ],
  });
  try {
    const run = await runScripted({ openai: server, task: loadWorkspaceTask(workspace, PYTHON), host: new RejectingHost() });
    const { summary } = run;
    assert.equal(summary.status, 'final_answer');
    assert.equal(summary.baseline, summary.score, 'nothing changed on disk');
    assert.equal(summary.verdict.verdict, 'not improved');
    assert.equal(summary.verdict.change, 0);
    assert.equal(summary.success, false);
    assert.deepEqual(
      summary.unverifiedClaims.map((c) => [c.text, c.where]),
      [
        ['0.97', 'final answer'],
        ['+87 %', 'final answer'],
      ],
    );
    const verdictRecord = run.log.find((r) => r.type === 'verdict');
    assert.deepEqual(verdictRecord?.verdict, summary.verdict, 'the log holds the same verdict');
    assert.ok(
      run.events.some((e) => e.type === 'verdict'),
      'listeners hear the verdict',
    );
  } finally {
    await server.close();
  }
});

test('one event stream: every model call and experiment in the log is also an event, and a throwing listener ends nothing', async () => {
  const workspace = freshIris();
  const server = await startFakeOpenAI({
    replies: [
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Execute Script', input: { script_name: 'train.py' } }, 1) },
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Final Answer', input: { final_answer: 'The test accuracy is 0.5167.' } }, 2) },
    ],
  });
  try {
    let thrown = 0;
    const run = await runScripted({
      openai: server,
      task: loadWorkspaceTask(workspace, PYTHON),
      onEvent: (event) => {
        if (event.type === 'call' || event.type === 'experiment') {
          thrown += 1;
          throw new Error('a broken view');
        }
      },
    });
    assert.equal(run.summary.status, 'final_answer');
    const logged = run.log.filter((r) => ['call', 'warning', 'experiment', 'verdict'].includes(r.type));
    const heard = run.events.filter((e) => ['call', 'warning', 'experiment', 'verdict'].includes(e.type));
    assert.deepEqual(heard, logged);
    assert.equal(thrown, logged.filter((r) => r.type === 'call' || r.type === 'experiment').length);
    assert.equal(run.log.filter((r) => r.type === 'call').length, 2);
    const kinds = run.log.filter((r) => r.type === 'experiment').map((r) => `${r.experiment.kind}:${r.experiment.label ?? ''}`);
    assert.deepEqual(kinds, ['baseline:', 'score:baseline', 'execute:', 'score:final']);
    const executed = run.log.find((r) => r.type === 'experiment' && r.experiment.kind === 'execute')!.experiment;
    assert.deepEqual(executed.metrics, { 'test accuracy': 0.5167 });
    assert.equal(executed.seeds?.['train_test_split.random_state'], 3);
    assert.deepEqual(run.summary.unverifiedClaims, []);
    const metricEvents = run.events.filter((e) => e.type === 'metric' && e.experiment === executed.id);
    assert.deepEqual(
      metricEvents.map((e) => e.type === 'metric' && [e.name, e.value]),
      [['test accuracy', 0.5167]],
    );
  } finally {
    await server.close();
  }
});

test('a result survives folding: the research log keeps it under its step once the step leaves the recent window', async () => {
  const workspace = freshIris();
  const list = { action: 'List Files', input: { dir_path: '.' } };
  const inspect = { action: 'Inspect Script Lines', input: { script_name: 'train.py', start_line_number: 1, end_line_number: 5 } };
  const idle = (i: number) => ({ match: PLANNER_MATCH, text: plannerReply(i % 2 ? list : inspect, i) });
  const server = await startFakeOpenAI({
    replies: [
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Execute Script', input: { script_name: 'train.py' } }, 1) },
      ...[2, 3, 4, 5, 6, 7].map(idle),
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Final Answer', input: { final_answer: 'Accuracy 0.5167, unchanged.' } }, 8) },
    ],
  });
  try {
    const run = await runScripted({
      openai: server,
      task: loadWorkspaceTask(workspace, PYTHON, 'Report the accuracy.'),
      config: { maxSteps: 8 },
    });
    assert.equal(run.summary.status, 'final_answer');
    const last = (server.requests[server.requests.length - 1].body as { messages: Array<{ content: string }> }).messages;
    assert.ok(!last[1].content.includes('\n\nStep 1:\n'), 'step 1 was folded out of the recent steps');
    assert.match(
      last[1].content,
      /Research log \([^\n]*\n#1 step 0 baseline train\.py: ok [\d.]+ s \| test accuracy 0\.5167\n#2 step 0 scoring \(baseline\) eval\.py: ok [\d.]+ s \| accuracy 0\.51667?, score 0\.51667?\nStep 1: Execute Script \(train\.py\) -> [^\n]*\n {2}#3 step 1 train\.py: ok [\d.]+ s \| test accuracy 0\.5167 \| same code as #1/,
    );
  } finally {
    await server.close();
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runScripted, type FakeServer, type Reply, type ScriptedRun } from '../fixtures/runHarness';
import { useFakeOpenAI } from '../fixtures/servers';
import type { RecordedRequest } from '../fixtures/fakeLlmScript';
import { fenced, plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';

/**
 * Every escalation reason of the cascade, through runAgent against the fake OpenAI server:
 * format, repeat, verification, provider, and what happens when the last model fails too.
 */

interface Body {
  model: string;
  messages: { role: string; content: string }[];
}

const serve = useFakeOpenAI();

const body = (request: RecordedRequest) => request.body as Body;
const systemOf = (request: RecordedRequest) => body(request).messages.find((m) => m.role === 'system')?.content ?? '';
const isPlanner = (request: RecordedRequest) => systemOf(request).includes(PLANNER_MATCH);
const isEditor = (request: RecordedRequest) => systemOf(request).startsWith('You are an expert at editing code');
const modelsAsked = (server: FakeServer, filter: (r: RecordedRequest) => boolean) =>
  server.requests.filter(filter).map((r) => body(r).model);
const lastMessage = (request: RecordedRequest) => body(request).messages.at(-1)!;

const ofType = (run: ScriptedRun, type: string) => run.log.filter((record) => record.type === type);

/** The cost of the calls made to `model` in `step`, from the log's call records. */
function costOfCalls(run: ScriptedRun, step: number, model: string): number {
  return ofType(run, 'call')
    .filter((call) => call.step === step && call.model === model)
    .reduce((sum, call) => sum + call.usd, 0);
}

/** An escalation's addedUsd is positive and is exactly what the model it escalated to cost in that step. */
function assertAddedUsd(run: ScriptedRun, escalation: Record<string, any>): void {
  const cost = costOfCalls(run, escalation.step, escalation.to);
  assert.ok(escalation.addedUsd > 0, `addedUsd of ${escalation.from} → ${escalation.to} is ${escalation.addedUsd}`);
  assert.ok(Math.abs(escalation.addedUsd - cost) < 1e-12, `addedUsd ${escalation.addedUsd} vs the calls after it ${cost}`);
}

const models = (planner: string[], worker: string[] = ['openai:cheap']) => ({ models: { planner, worker, expert: 'openai:expert' } });

const LIST = { action: 'List Files', input: { dir_path: '.' } };
const FINAL = { action: 'Final Answer', input: { final_answer: 'Nothing more to try.' } };
/** A planner reply with two of the six entries: Thought and Action. */
const GARBAGE = 'Thought: I should look at the files first.\nAction: List Files';
const GARBAGE_MISSING = ['Reflection', 'Research Plan and Status', 'Fact Check', 'Action Input'];

const planner = (model: string, text: string, repeat?: number): Reply => ({
  match: PLANNER_MATCH,
  model,
  text,
  ...(repeat ? { repeat } : {}),
});

describe('format escalation: a planner that keeps breaking the format', () => {
  test('three malformed replies from cheap (the default) move the call to mid; the retries name the missing entries', async () => {
    const openai = await serve([planner('cheap', GARBAGE, 3), planner('mid', plannerReply(FINAL, 1))]);
    const run = await runScripted({ openai, config: models(['openai:cheap', 'openai:mid']) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.deepEqual(modelsAsked(openai, isPlanner), ['cheap', 'cheap', 'cheap', 'mid']);
    const [first, second, third, mid] = openai.requests.filter(isPlanner);
    for (const retry of [second, third]) {
      const messages = body(retry).messages;
      assert.equal(messages.at(-2)?.role, 'assistant');
      assert.equal(messages.at(-2)?.content, GARBAGE, 'the malformed reply is shown back');
      assert.equal(lastMessage(retry).role, 'user');
      const missingLine = lastMessage(retry)
        .content.split('\n')
        .find((line) => line.includes('Missing entries'));
      assert.ok(missingLine, `the retry message names the missing entries:\n${lastMessage(retry).content}`);
      for (const entry of GARBAGE_MISSING) assert.ok(missingLine.includes(entry), `"${entry}" is named: ${missingLine}`);
      assert.ok(!/\bThought\b/.test(missingLine), `Thought was given: ${missingLine}`);
    }
    assert.deepEqual(body(mid).messages, body(first).messages, 'the next model gets the original question');

    const escalations = ofType(run, 'escalation');
    assert.equal(escalations.length, 1);
    const [escalation] = escalations;
    assert.equal(escalation.role, 'planner');
    assert.equal(escalation.step, 1);
    assert.equal(escalation.from, 'openai:cheap');
    assert.equal(escalation.to, 'openai:mid');
    assert.match(escalation.reason, /^format: .*Missing entries/s);
    assertAddedUsd(run, escalation);
    assert.equal(run.summary.escalations, 1);
    assert.equal(run.summary.lifelinesUsed, 0);
    assert.equal(ofType(run, 'step')[0].model, 'openai:mid');
    const event = run.events.find((e) => e.type === 'escalation');
    assert.deepEqual(event && { from: event.from, to: event.to, addedUsd: event.addedUsd }, {
      from: 'openai:cheap',
      to: 'openai:mid',
      addedUsd: escalation.addedUsd,
    });
  });

  test('cascade.maxFormatRetries: 2 gives cheap two attempts', async () => {
    const openai = await serve([planner('cheap', GARBAGE, 3), planner('mid', plannerReply(FINAL, 1))]);
    const run = await runScripted({ openai, config: { ...models(['openai:cheap', 'openai:mid']), cascade: { maxFormatRetries: 2 } } });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.deepEqual(modelsAsked(openai, isPlanner), ['cheap', 'cheap', 'mid']);
    assert.equal(run.summary.escalations, 1);
    assertAddedUsd(run, ofType(run, 'escalation')[0]);
  });

  test('the last model of a multi-model list gets one attempt, then the expert (spending a lifeline)', async () => {
    const openai = await serve([planner('cheap', GARBAGE, 3), planner('mid', GARBAGE, 3), planner('expert', plannerReply(FINAL, 1))]);
    const run = await runScripted({ openai, config: models(['openai:cheap', 'openai:mid']) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.deepEqual(modelsAsked(openai, isPlanner), ['cheap', 'cheap', 'cheap', 'mid', 'expert']);
    const escalations = ofType(run, 'escalation');
    assert.deepEqual(
      escalations.map((e) => [e.from, e.to, e.reason.split(':')[0]]),
      [
        ['openai:cheap', 'openai:mid', 'format'],
        ['openai:mid', 'openai:expert', 'format'],
      ],
    );
    for (const escalation of escalations) assertAddedUsd(run, escalation);
    assert.equal(run.summary.escalations, 2);
    assert.equal(run.summary.lifelinesUsed, 1);
    assert.equal(ofType(run, 'step')[0].model, 'openai:expert');
    assert.ok(
      ofType(run, 'call').some((c) => c.model === 'openai:expert' && c.role === 'expert'),
      'the expert call is booked as the expert',
    );
  });
});

describe('repeat escalation: the planner picks what it picked in each of the last r steps', () => {
  test('with the default repeatLimit (3), a fourth List Files "." is not taken: mid plans the step', async () => {
    const openai = await serve([
      ...[1, 2, 3, 4].map((i) => planner('cheap', plannerReply(LIST, i))),
      planner('mid', plannerReply(FINAL, 4)),
    ]);
    const run = await runScripted({ openai, config: models(['openai:cheap', 'openai:mid']) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const steps = ofType(run, 'step');
    assert.deepEqual(
      steps.map((s) => [s.response.action, s.model]),
      [
        ['List Files', 'openai:cheap'],
        ['List Files', 'openai:cheap'],
        ['List Files', 'openai:cheap'],
        ['Final Answer', 'openai:mid'],
      ],
    );
    // the repeat escalates at once: cheap is not asked again within step 4
    assert.deepEqual(modelsAsked(openai, isPlanner), ['cheap', 'cheap', 'cheap', 'cheap', 'mid']);
    const escalations = ofType(run, 'escalation');
    assert.equal(escalations.length, 1);
    assert.equal(escalations[0].step, 4);
    assert.equal(escalations[0].from, 'openai:cheap');
    assert.equal(escalations[0].to, 'openai:mid');
    assert.match(escalations[0].reason, /^repeat: .*List Files.*last 3 steps/);
    assertAddedUsd(run, escalations[0]);
    assert.equal(run.summary.escalations, 1);
  });

  test('cascade.repeatLimit: 2 escalates on the third identical step', async () => {
    const openai = await serve([...[1, 2, 3].map((i) => planner('cheap', plannerReply(LIST, i))), planner('mid', plannerReply(FINAL, 3))]);
    const run = await runScripted({ openai, config: { ...models(['openai:cheap', 'openai:mid']), cascade: { repeatLimit: 2 } } });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(run.summary.steps, 3);
    assert.deepEqual(modelsAsked(openai, isPlanner), ['cheap', 'cheap', 'cheap', 'mid']);
    const [escalation] = ofType(run, 'escalation');
    assert.equal(escalation.step, 3);
    assert.match(escalation.reason, /^repeat: .*last 2 steps/);
    assertAddedUsd(run, escalation);
  });

  test('the same action with another input is no repeat', async () => {
    const inspect = (start: number) => ({
      action: 'Inspect Script Lines',
      input: { script_name: 'train.py', start_line_number: start, end_line_number: start + 2 },
    });
    const openai = await serve([
      ...[1, 2, 3, 4].map((i) => planner('cheap', plannerReply(inspect(i), i))),
      planner('cheap', plannerReply(FINAL, 5)),
    ]);
    const run = await runScripted({ openai, config: models(['openai:cheap', 'openai:mid']) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(run.summary.steps, 5);
    assert.equal(run.summary.escalations, 0);
    assert.deepEqual(modelsAsked(openai, isPlanner), ['cheap', 'cheap', 'cheap', 'cheap', 'cheap']);
  });
});

describe('verification escalation: a worker edit that cannot be used', () => {
  const EDIT = {
    action: 'Edit Script (AI)',
    input: { script_name: 'train.py', edit_instruction: 'Add the comment "# tuned" as the first line.', save_name: 'train.py' },
  };
  const workerModels = models(['openai:cheap'], ['openai:cheap', 'openai:mid']);
  const worker = (model: string, text: string, repeat?: number): Reply => ({
    match: 'Edit instruction',
    model,
    text,
    ...(repeat ? { repeat } : {}),
  });
  const EDITED = '# tuned\nprint("ok")\n';

  /** Planner replies first: a planner prompt that quotes the edit instruction must not take a worker reply. */
  async function editRun(cheapReplies: Reply[], midReplies: Reply[]) {
    const openai = await serve([
      planner('cheap', plannerReply(EDIT, 1)),
      planner('cheap', plannerReply(FINAL, 2)),
      ...cheapReplies,
      ...midReplies,
    ]);
    const run = await runScripted({ openai, config: workerModels });
    return { openai, run };
  }

  test('replies without a code block: cheap gets three attempts, then mid edits the file', async () => {
    const prose = 'I would add a comment saying tuned at the very top of the file.';
    const { openai, run } = await editRun([worker('cheap', prose, 3)], [worker('mid', fenced(EDITED))]);
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.deepEqual(modelsAsked(openai, isEditor), ['cheap', 'cheap', 'cheap', 'mid']);
    for (const retry of openai.requests.filter(isEditor).slice(1, 3)) {
      assert.equal(body(retry).messages.at(-2)?.content, prose);
      assert.match(lastMessage(retry).content, /no fenced code block/);
    }
    const [escalation] = ofType(run, 'escalation');
    assert.equal(escalation.role, 'worker');
    assert.equal(escalation.from, 'openai:cheap');
    assert.equal(escalation.to, 'openai:mid');
    assert.match(escalation.reason, /^verification: .*no fenced code block/);
    assertAddedUsd(run, escalation);
    assert.equal(run.summary.escalations, 1);
    assert.equal(readFileSync(join(run.workspace, 'train.py'), 'utf8'), EDITED, 'mid’s edit is saved');
    assert.match(ofType(run, 'step')[0].observation, /The edited file is saved to train\.py/);
  });

  test('a .py that does not compile: the compiler error goes back to cheap, then mid edits the file', async () => {
    const broken = fenced('def train(:\n    return 1\n');
    const { openai, run } = await editRun([worker('cheap', broken, 3)], [worker('mid', fenced(EDITED))]);

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.deepEqual(modelsAsked(openai, isEditor), ['cheap', 'cheap', 'cheap', 'mid']);
    for (const retry of openai.requests.filter(isEditor).slice(1, 3)) {
      assert.match(lastMessage(retry).content, /does not compile/);
      assert.match(lastMessage(retry).content, /SyntaxError/);
    }
    const [escalation] = ofType(run, 'escalation');
    assert.equal(escalation.role, 'worker');
    assert.match(escalation.reason, /^verification: .*does not compile/s);
    assertAddedUsd(run, escalation);
    assert.equal(readFileSync(join(run.workspace, 'train.py'), 'utf8'), EDITED);
  });
});

describe('provider escalation: a model whose provider keeps failing', () => {
  test('cheap answering 500 on every retry moves the call to mid', async () => {
    const failing: Reply = { match: PLANNER_MATCH, model: 'cheap', status: 500, headers: { 'retry-after-ms': '1' }, repeat: 4 };
    const openai = await serve([failing, planner('mid', plannerReply(FINAL, 1)), planner('cheap', plannerReply(FINAL, 1))]);
    const run = await runScripted({ openai, config: models(['openai:cheap', 'openai:mid']) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.deepEqual(modelsAsked(openai, isPlanner), ['cheap', 'cheap', 'cheap', 'cheap', 'mid']);
    const failedCalls = ofType(run, 'call').filter((c) => c.model === 'openai:cheap');
    assert.deepEqual(
      failedCalls.map((c) => c.attempt),
      [1, 2, 3, 4],
    );
    for (const call of failedCalls) {
      assert.match(call.error, /500/);
      assert.equal(call.usd, 0);
    }
    const escalations = ofType(run, 'escalation');
    assert.equal(escalations.length, 1);
    assert.equal(escalations[0].from, 'openai:cheap');
    assert.equal(escalations[0].to, 'openai:mid');
    assert.match(escalations[0].reason, /^provider: .*500/);
    assertAddedUsd(run, escalations[0]);
    assert.equal(ofType(run, 'step')[0].model, 'openai:mid');
  });
});

describe('when the last model of the chain fails too', () => {
  test('planner: the run ends cleanly with status error, naming the models; no lifeline, no expert', async () => {
    const openai = await serve([planner('cheap', GARBAGE, 3), planner('mid', GARBAGE, 3), planner('expert', plannerReply(FINAL, 1))]);
    const run = await runScripted({ openai, config: { ...models(['openai:cheap', 'openai:mid']), lifelines: 0 } });

    assert.equal(run.summary.status, 'error');
    assert.match(run.summary.message ?? '', /planner/);
    assert.match(run.summary.message ?? '', /openai:cheap/);
    assert.match(run.summary.message ?? '', /openai:mid/);
    assert.match(run.summary.message ?? '', /Missing entries/, 'the message says what went wrong last');
    assert.deepEqual(modelsAsked(openai, isPlanner), ['cheap', 'cheap', 'cheap', 'mid']);
    assert.equal(run.summary.steps, 0);
    assert.equal(run.summary.lifelinesUsed, 0);
    const [escalation] = ofType(run, 'escalation');
    assert.deepEqual([escalation.from, escalation.to], ['openai:cheap', 'openai:mid']);
    assertAddedUsd(run, escalation);
    assert.ok(
      run.summary.warnings.some((w) => /no lifeline left to escalate to openai:expert/.test(w)),
      run.summary.warnings.join('\n'),
    );
    const end = run.log.at(-1)!;
    assert.deepEqual([end.type, end.status], ['end', 'error']);
    assert.equal(run.events.at(-1)?.type, 'run-ended');
    const costOfAll = ofType(run, 'call').reduce((sum, c) => sum + c.usd, 0);
    assert.ok(Math.abs(run.summary.cost.usd - costOfAll) < 1e-12, 'the failed attempts are still paid for');
  });

  test('worker: the step observes that the action failed, and the run goes on', async () => {
    const EDIT = {
      action: 'Edit Script (AI)',
      input: { script_name: 'train.py', edit_instruction: 'Add the comment "# tuned" as the first line.', save_name: 'train.py' },
    };
    const prose = 'The comment would go at the top.';
    const openai = await serve([
      planner('cheap', plannerReply(EDIT, 1)),
      planner('cheap', plannerReply(FINAL, 2)),
      { match: 'Edit instruction', model: 'cheap', text: prose, repeat: 3 },
      { match: 'Edit instruction', model: 'mid', text: prose, repeat: 3 },
      { match: 'Edit instruction', model: 'expert', text: fenced('# tuned\n') },
    ]);
    const run = await runScripted({ openai, config: { ...models(['openai:cheap'], ['openai:cheap', 'openai:mid']), lifelines: 0 } });
    const trainBefore = readFileSync(join(__dirname, '../fixtures/tasks/diabetes-tree/env/train.py'), 'utf8');

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(run.summary.steps, 2);
    assert.deepEqual(modelsAsked(openai, isEditor), ['cheap', 'cheap', 'cheap', 'mid']);
    const [editStep] = ofType(run, 'step');
    assert.match(editStep.observation, /^The action Edit Script \(AI\) failed: /);
    assert.match(editStep.observation, /openai:cheap/);
    assert.match(editStep.observation, /openai:mid/);
    assert.match(editStep.observation, /no fenced code block/);
    assert.equal(readFileSync(join(run.workspace, 'train.py'), 'utf8'), trainBefore, 'nothing was saved');
    const [escalation] = ofType(run, 'escalation');
    assert.deepEqual([escalation.role, escalation.from, escalation.to], ['worker', 'openai:cheap', 'openai:mid']);
    assertAddedUsd(run, escalation);
    assert.equal(run.summary.escalations, 1);
    // the planner sees the failure in its next prompt
    const finalPlan = openai.requests.filter(isPlanner).at(-1)!;
    assert.match(lastMessage(finalPlan).content, /The action Edit Script \(AI\) failed/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecordedRequest } from '../fixtures/fakeLlmScript';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { runScripted, type FakeServer, type Reply, type ScriptedRun } from '../fixtures/runHarness';
import { useFakeOpenAI } from '../fixtures/servers';

/**
 * The ask-the-expert lifelines through runAgent: "Request Planning Expert Help" has the expert plan
 * the step; `lifelines` caps it, and escalations into the expert spend the same lifelines.
 */

interface Body {
  model: string;
  messages: { role: string; content: string }[];
}

const HELP = 'Request Planning Expert Help';
/** how the action is offered to the planner (at the end of its prompt, so that the system prompt never changes) */
const HELP_IN_MENU = `- ${HELP}:`;

const serve = useFakeOpenAI();

const body = (request: RecordedRequest) => request.body as Body;
const systemOf = (request: RecordedRequest) => body(request).messages.find((m) => m.role === 'system')?.content ?? '';
const lastMessage = (request: RecordedRequest) => body(request).messages.at(-1)!.content;
const promptOf = (request: RecordedRequest) =>
  body(request)
    .messages.map((m) => m.content)
    .join('\n');
const plannerRequests = (server: FakeServer, model: string) =>
  server.requests.filter((r) => systemOf(r).includes(PLANNER_MATCH) && body(r).model === model);
const ofType = (run: ScriptedRun, type: string) => run.log.filter((record) => record.type === type);

const planner = (model: string, text: string, repeat?: number): Reply => ({
  match: PLANNER_MATCH,
  model,
  text,
  ...(repeat ? { repeat } : {}),
});
const help = (problem: string, i: number) => plannerReply({ action: HELP, input: { problem } }, i);

const LIST = { action: 'List Files', input: { dir_path: '.' } };
const INSPECT = { action: 'Inspect Script Lines', input: { script_name: 'train.py', start_line_number: 1, end_line_number: 5 } };
const FINAL = { action: 'Final Answer', input: { final_answer: 'Done.' } };
const GARBAGE = 'Thought: no idea.\nAction: List Files';
const config = (lifelines?: number) => ({
  models: { planner: ['openai:cheap'], worker: ['openai:cheap'], expert: 'openai:expert' },
  ...(lifelines === undefined ? {} : { lifelines }),
});

describe('Request Planning Expert Help', () => {
  test('the expert plans the step, with the planner’s problem in its prompt', async () => {
    const problem = 'I cannot tell which file holds the training loop (looked at data_description.txt already)';
    const openai = await serve([
      planner('cheap', help(problem, 1)),
      planner('expert', plannerReply(LIST, 1)),
      planner('cheap', plannerReply(FINAL, 2)),
    ]);
    const run = await runScripted({ openai, config: config() });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const steps = ofType(run, 'step');
    assert.deepEqual(
      steps.map((s) => [s.response.action, s.model]),
      [
        ['List Files', 'openai:expert'],
        ['Final Answer', 'openai:cheap'],
      ],
    );
    const [expertRequest] = plannerRequests(openai, 'expert');
    assert.ok(expertRequest, 'the expert was asked');
    assert.ok(lastMessage(expertRequest).includes(problem), `the expert's prompt carries the problem:\n${lastMessage(expertRequest)}`);
    assert.ok(!promptOf(expertRequest).includes(HELP_IN_MENU), 'the expert is not offered the lifeline itself');
    const [firstPlan, secondPlan] = plannerRequests(openai, 'cheap');
    assert.ok(promptOf(firstPlan).includes(HELP_IN_MENU), 'the planner is offered the lifeline');
    assert.equal(systemOf(firstPlan), systemOf(secondPlan), 'the system prompt stays the same');
    assert.ok(promptOf(secondPlan).includes(HELP_IN_MENU), 'four lifelines are left');

    const expertCalls = ofType(run, 'call').filter((c) => c.model === 'openai:expert');
    assert.deepEqual(
      expertCalls.map((c) => [c.step, c.role, c.purpose]),
      [[1, 'expert', 'expert plan']],
    );
    assert.equal(run.summary.lifelinesUsed, 1);
    assert.equal(run.summary.escalations, 0);
    const lifelines = ofType(run, 'lifeline');
    assert.equal(lifelines.length, 1);
    assert.equal(lifelines[0].step, 1);
    assert.equal(lifelines[0].reason, `requested: ${problem}`);
    assert.deepEqual(
      run.events.filter((e) => e.type === 'lifeline'),
      [{ type: 'lifeline', used: 1, left: 4 }],
    );
    assert.ok(run.summary.cost.byRole.expert > 0, 'the expert’s call is counted under its role');
  });

  test('lifelines: 2 caps it: then the action leaves the menu and choosing it is an unknown action', async () => {
    const openai = await serve([
      planner('cheap', help('stuck on step 1', 1)),
      planner('expert', plannerReply(LIST, 1)),
      planner('cheap', help('stuck on step 2', 2)),
      planner('expert', plannerReply(INSPECT, 2)),
      planner('cheap', help('stuck on step 3', 3)),
      planner('cheap', plannerReply(FINAL, 3)),
      planner('expert', plannerReply(FINAL, 3)),
    ]);
    const run = await runScripted({ openai, config: config(2) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(plannerRequests(openai, 'expert').length, 2, 'the expert planned two steps, not three');
    const cheap = plannerRequests(openai, 'cheap');
    assert.equal(cheap.length, 4);
    assert.deepEqual(
      cheap.map((r) => promptOf(r).includes(HELP_IN_MENU)),
      [true, true, false, false],
      'the action is listed while lifelines are left',
    );
    assert.ok(!promptOf(cheap[2]).includes(HELP), 'the prompt no longer mentions it at all');
    assert.equal(systemOf(cheap[2]), systemOf(cheap[0]), 'the system prompt is the same as when lifelines were left');
    const answer = lastMessage(cheap[3]);
    assert.match(answer, new RegExp(`"${HELP}" is not a valid action`));
    const valid = answer.split('Valid actions:')[1]?.split('\n')[0] ?? '';
    assert.ok(valid.includes('List Files') && !valid.includes(HELP), valid);

    assert.deepEqual(
      ofType(run, 'step').map((s) => s.model),
      ['openai:expert', 'openai:expert', 'openai:cheap'],
    );
    assert.equal(run.summary.lifelinesUsed, 2);
    assert.equal(ofType(run, 'lifeline').length, 2);
    assert.deepEqual(
      run.events.filter((e) => e.type === 'lifeline').map((e) => (e.type === 'lifeline' ? e.left : -1)),
      [1, 0],
    );
  });

  test('lifelines: 0: the action is never offered', async () => {
    const openai = await serve([planner('cheap', plannerReply(FINAL, 1))]);
    const run = await runScripted({ openai, config: config(0) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.ok(!promptOf(plannerRequests(openai, 'cheap')[0]).includes(HELP));
    assert.equal(run.summary.lifelinesUsed, 0);
  });
});

describe('escalations into the expert spend the same lifelines', () => {
  test('an escalation and a request use up lifelines: 2, and the action leaves the menu', async () => {
    const openai = await serve([
      planner('cheap', GARBAGE, 3),
      planner('expert', plannerReply(LIST, 1)),
      planner('cheap', help('stuck on step 2', 2)),
      planner('expert', plannerReply(INSPECT, 2)),
      planner('cheap', plannerReply(FINAL, 3)),
    ]);
    const run = await runScripted({ openai, config: config(2) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const lifelines = ofType(run, 'lifeline');
    assert.deepEqual(
      lifelines.map((l) => [l.step, l.used, l.reason.split(':')[0]]),
      [
        [1, 1, 'escalation'],
        [2, 2, 'requested'],
      ],
    );
    assert.match(lifelines[0].reason, /^escalation: format: /);
    assert.equal(run.summary.lifelinesUsed, 2);
    assert.equal(run.summary.escalations, 1);
    const [escalation] = ofType(run, 'escalation');
    assert.deepEqual([escalation.from, escalation.to], ['openai:cheap', 'openai:expert']);
    const expertCost = ofType(run, 'call')
      .filter((c) => c.step === 1 && c.model === 'openai:expert')
      .reduce((sum, c) => sum + c.usd, 0);
    assert.ok(escalation.addedUsd > 0 && Math.abs(escalation.addedUsd - expertCost) < 1e-12);
    const lastPlan = plannerRequests(openai, 'cheap').at(-1)!;
    assert.ok(!promptOf(lastPlan).includes(HELP), 'no lifeline left: the action is gone');
  });

  test('with the last lifeline spent, a failing planner is not escalated to the expert', async () => {
    const openai = await serve([
      planner('cheap', help('stuck', 1)),
      planner('expert', plannerReply(LIST, 1)),
      planner('cheap', GARBAGE, 3),
      planner('expert', plannerReply(FINAL, 2)),
    ]);
    const run = await runScripted({ openai, config: config(1) });

    assert.equal(run.summary.status, 'error');
    assert.match(run.summary.message ?? '', /openai:cheap/);
    assert.equal(plannerRequests(openai, 'expert').length, 1);
    assert.equal(plannerRequests(openai, 'cheap').length, 4);
    assert.equal(run.summary.lifelinesUsed, 1);
    assert.equal(run.summary.escalations, 0);
    assert.ok(
      run.summary.warnings.some((w) => /no lifeline left to escalate to openai:expert/.test(w)),
      run.summary.warnings.join('\n'),
    );
  });

  test('the expert reached by an escalation is not offered the lifeline (it would ask itself)', async () => {
    const openai = await serve([planner('cheap', GARBAGE, 3), planner('expert', plannerReply(FINAL, 1))]);
    const run = await runScripted({ openai, config: config(2) });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const [expertRequest] = plannerRequests(openai, 'expert');
    assert.ok(!systemOf(expertRequest).includes(HELP_IN_MENU), 'the expert’s menu lists the lifeline');
  });
});

test('the user can spend a lifeline: the expert plans the next step without the planner being asked', async () => {
  const { runScripted, startFakeOpenAI } = await import('../fixtures/runHarness');
  const { plannerReply, PLANNER_MATCH } = await import('../fixtures/plannerReplies');
  const openai = await startFakeOpenAI({
    replies: [
      { match: PLANNER_MATCH, model: 'cheap', text: plannerReply({ action: 'List Files', input: { dir_path: '.' } }, 1) },
      {
        match: 'the user asks',
        model: 'expert',
        text: plannerReply({ action: 'Final Answer', input: { final_answer: 'expert says stop' } }, 2),
      },
    ],
  });
  let pending: string | undefined;
  try {
    const run = await runScripted({
      openai,
      config: { lifelines: 2 },
      expertRequests: {
        take: () => {
          const problem = pending;
          pending = undefined;
          return problem;
        },
      },
      onEvent: (e) => {
        if (e.type === 'observation' && e.step === 1) pending = 'the user asks for a second opinion';
      },
    });
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(run.summary.lifelinesUsed, 1);
    const steps = run.log.filter((r) => r.type === 'step');
    assert.equal(steps[1].model, 'openai:expert');
    assert.equal(openai.requests.length, 2, 'the planner was not asked for step 2');
  } finally {
    await openai.close();
  }
});

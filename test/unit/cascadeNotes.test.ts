import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedRequest } from '../fixtures/fakeLlmScript';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { runScripted, type Reply } from '../fixtures/runHarness';
import { useFakeOpenAI } from '../fixtures/servers';

const serve = useFakeOpenAI();

const LIST = { action: 'List Files', input: { dir_path: '.' } };
const FINAL = { action: 'Final Answer', input: { final_answer: 'done' } };
const planner = (model: string, text: string): Reply => ({ match: PLANNER_MATCH, model, text });
const lastUserText = (r: RecordedRequest) => (r.body as { messages: { content: string }[] }).messages.at(-1)!.content;
const modelOf = (r: RecordedRequest) => (r.body as { model: string }).model;

test('the model asked after a repeat is told why', async () => {
  const openai = await serve([...[1, 2, 3, 4].map((i) => planner('cheap', plannerReply(LIST, i))), planner('mid', plannerReply(FINAL, 4))]);
  await runScripted({
    openai,
    config: { models: { planner: ['openai:cheap', 'openai:mid'], worker: ['openai:cheap'], expert: 'openai:expert' } },
  });
  const midRequest = openai.requests.find((r) => modelOf(r) === 'mid')!;
  assert.match(lastUserText(midRequest), /You chose List Files with the same input as in each of the last 3 steps/);
  const cheapStep4 = openai.requests.filter((r) => modelOf(r) === 'cheap')[3];
  assert.doesNotMatch(lastUserText(cheapStep4), /You chose/, 'the cheap model was asked the plain question');
});

test('the last model of the chain may repeat: the step runs, with a warning, and the run goes on', async () => {
  const openai = await serve([
    ...[1, 2, 3, 4].map((i) => planner('expert', plannerReply(LIST, i))),
    planner('expert', plannerReply(FINAL, 5)),
  ]);
  const run = await runScripted({
    openai,
    config: { models: { planner: ['openai:expert'], worker: ['openai:expert'], expert: 'openai:expert' } },
  });
  assert.equal(run.summary.status, 'final_answer', run.summary.message);
  assert.equal(run.summary.steps, 5);
  assert.ok(
    run.summary.warnings.some((w) => /repeated List Files/.test(w)),
    run.summary.warnings.join('\n'),
  );
});

test('a failure names only the models that were asked, and why the expert was not', async () => {
  const garbage = 'I will list the files.';
  const openai = await serve([{ match: PLANNER_MATCH, model: 'cheap', text: garbage, repeat: -1 }]);
  const run = await runScripted({ openai, config: { lifelines: 0 } });
  assert.equal(run.summary.status, 'error');
  assert.match(run.summary.message!, /every planner model asked failed \(openai:cheap\)/);
  assert.match(run.summary.message!, /openai:expert was not asked: no lifeline is left/);
  assert.ok(openai.requests.every((r) => modelOf(r) === 'cheap'));
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecordedRequest } from '../fixtures/fakeLlmScript';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { runScripted, TEST_PRICES, type Reply, type ScriptedRun } from '../fixtures/runHarness';
import { useFakeOpenAI } from '../fixtures/servers';
import { MIN_USEFUL_OUTPUT_TOKENS } from '../../src/core/llm/client';
import { promptTokens } from '../../src/core/llm/tokens';
import { parseModelRef } from '../../src/core/llm/types';

/**
 * The budget is never exceeded: a request whose worst case does not fit goes out with its output
 * limit lowered to what is left, or not at all when that is too little for a useful answer; the 80 %
 * warning comes once, and random runs (failures, retries, dropped streams) stay within their budget
 * with a ledger that adds up.
 */

interface Body {
  model: string;
  messages: { role: string; content: string }[];
  max_tokens: number;
}

interface Price {
  input: number;
  cachedInput?: number;
  output: number;
}

const serve = useFakeOpenAI();

const body = (request: RecordedRequest) => request.body as Body;
const ofType = (run: ScriptedRun, type: string) => run.log.filter((record) => record.type === type);
const sumUsd = (calls: Record<string, any>[]) => calls.reduce((sum, call) => sum + call.usd, 0);
const priceOf = (model: string): Price => TEST_PRICES[`openai:${model}` as keyof typeof TEST_PRICES];

/**
 * The worst case of a request as the budget sees it: the prompt counted with the model's tokenizer
 * plus the chat format's overhead, and every output token allowed.
 */
function worstCase(request: RecordedRequest, price: Price): number {
  return promptCost(request, price) + (body(request).max_tokens * price.output) / 1e6;
}

/** What the prompt of a request costs at worst (every token uncached). */
function promptCost(request: RecordedRequest, price: Price): number {
  const { model, messages } = body(request);
  return (promptTokens(parseModelRef(`openai:${model}`), messages) * price.input) / 1e6;
}

/** What the server's reported usage of a request costs. */
function reportedCost(request: RecordedRequest, price: Price): number {
  const u = request.usage!;
  return ((u.input - u.cachedInput) * price.input + u.cachedInput * (price.cachedInput ?? price.input) + u.output * price.output) / 1e6;
}

/** What the refusal says, in "the next <role> call may cost up to $X; $Y is left ($S spent of the $B budget)". */
function amountsIn(message: string): { role: string; next: number; left: number; spent: number; budget: number } {
  const amount = String.raw`\$(\d+(?:\.\d+)?(?:e[+-]?\d+)?)`;
  const match = new RegExp(
    `the next (\\w+) call may cost up to ${amount}; ${amount} is left \\(${amount} spent of the ${amount} budget\\)`,
  ).exec(message);
  assert.ok(match, `the message says what the next call may cost, what is left, what was spent and the budget: ${message}`);
  return { role: match[1], next: Number(match[2]), left: Number(match[3]), spent: Number(match[4]), budget: Number(match[5]) };
}

const near = (actual: number, expected: number, relative: number) => Math.abs(actual - expected) <= Math.abs(expected) * relative;

const planner = (text: string, extra: Partial<Reply> = {}): Reply => ({ match: PLANNER_MATCH, text, ...extra });
const LIST = { action: 'List Files', input: { dir_path: '.' } };
const FINAL = { action: 'Final Answer', input: { final_answer: 'Done.' } };

describe('a call that might pass the budget is never sent', () => {
  const script = () => [planner(plannerReply(LIST, 1)), planner(plannerReply(FINAL, 2))];

  /** A first run with room to spare shows what the two planner requests are and what the first costs. */
  async function probe() {
    const probeServer = await serve(script());
    const run = await runScripted({ openai: probeServer });
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const [first, second] = probeServer.requests;
    return { first, second, spentByFirst: ofType(run, 'call')[0].usd };
  }

  test('the planner’s second request cannot get a useful answer: the server never sees it, the run ends budget_exhausted', async () => {
    const { second, spentByFirst } = await probe();
    const cheap = priceOf('cheap');
    const worstSecond = worstCase(second, cheap);
    // after the first call, the second's prompt and 255 output tokens: one short of a useful answer
    const budgetUsd = spentByFirst + promptCost(second, cheap) + ((MIN_USEFUL_OUTPUT_TOKENS - 1) * cheap.output) / 1e6;

    const openai = await serve(script());
    const run = await runScripted({ openai, config: { budgetUsd } });

    assert.equal(run.summary.status, 'budget_exhausted', run.summary.message);
    assert.equal(openai.requests.length, 1, 'the second request was never sent');
    assert.equal(run.summary.steps, 1);
    assert.equal(run.summary.cost.usd, spentByFirst);
    assert.ok(run.summary.cost.usd <= budgetUsd);
    const amounts = amountsIn(run.summary.message ?? '');
    assert.ok(near(amounts.spent, spentByFirst, 0.01), `spent ${amounts.spent} vs ${spentByFirst}`);
    assert.ok(near(amounts.budget, budgetUsd, 0.01), `budget ${amounts.budget} vs ${budgetUsd}`);
    assert.ok(near(amounts.next, worstSecond, 0.01), `next call ${amounts.next} vs ${worstSecond}`);
    assert.equal(amounts.role, 'planner');
    assert.ok(near(amounts.left, budgetUsd - spentByFirst, 0.01), `left ${amounts.left} vs ${budgetUsd - spentByFirst}`);
    assert.deepEqual(run.log.at(-1), { ...run.log.at(-1), type: 'end', status: 'budget_exhausted', message: run.summary.message });
    assert.deepEqual(run.events.at(-1), { type: 'run-ended', status: 'budget_exhausted', message: run.summary.message });
  });

  test('when the money left pays for a useful answer, the second request goes out with max_tokens lowered to it', async () => {
    const { second, spentByFirst } = await probe();
    const cheap = priceOf('cheap');
    const affordable = 600;
    const budgetUsd = spentByFirst + promptCost(second, cheap) + ((affordable + 0.5) * cheap.output) / 1e6;
    assert.ok(spentByFirst + worstCase(second, cheap) > budgetUsd, 'the whole limit does not fit');

    const openai = await serve(script());
    const run = await runScripted({ openai, config: { budgetUsd } });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(openai.requests.length, 2);
    // the first call may be lowered too: the budget holds little more than the two calls
    assert.ok(body(openai.requests[0]).max_tokens >= MIN_USEFUL_OUTPUT_TOKENS);
    assert.equal(body(openai.requests[1]).max_tokens, affordable);
    assert.ok(run.summary.cost.usd <= budgetUsd, `${run.summary.cost.usd} spent of ${budgetUsd}`);
    const lowered = ofType(run, 'warning').find((w) => /may write 600 output tokens instead of 2000/.test(w.message));
    assert.ok(lowered, 'the lowered limit is logged');
    assert.equal(ofType(run, 'call-started')[1].maxOutputTokens, affordable);
  });

  test('a worker call whose whole limit does not fit gets what the budget left pays for', async () => {
    const understand = { action: 'Understand File', input: { file_name: 'train.py', things_to_look_for: 'the model' } };
    const openai = await serve([
      planner(plannerReply(understand, 1)),
      { match: 'the model', text: 'A decision tree.' },
      planner(plannerReply(FINAL, 2)),
    ]);
    // a planner call costs well under a cent; the worker's 100k output tokens at $0.4/M could cost $0.04
    const run = await runScripted({ openai, config: { budgetUsd: 0.01, maxOutputTokens: { planner: 2000, worker: 100_000 } } });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const worker = body(openai.requests[1]).max_tokens;
    assert.ok(worker >= MIN_USEFUL_OUTPUT_TOKENS && worker < 100_000, `the worker may write ${worker} tokens`);
    assert.ok(run.summary.cost.usd > 0 && run.summary.cost.usd <= 0.01);
  });
});

describe('the 80 % warning', () => {
  test('comes once, as an event and in the log, when spending first reaches 80 %', async () => {
    // output at $1 per million tokens, input free: each call costs almost exactly its worst case
    const maxOutput = 200;
    const reply = (i: number) => {
      const bare = plannerReply({ ...LIST, thought: '' }, i);
      return plannerReply({ ...LIST, thought: `Listing again. ${'x'.repeat(maxOutput * 4 - 20 - bare.length)}` }, i);
    };
    const openai = await serve([...Array.from({ length: 20 }, (_, i) => planner(reply(i + 1)))]);
    const budgetUsd = (10 * maxOutput) / 1e6;
    const run = await runScripted({
      openai,
      config: {
        prices: { 'openai:cheap': { input: 0, output: 1 }, 'openai:expert': TEST_PRICES['openai:expert'] },
        budgetUsd,
        maxSteps: 20,
        maxOutputTokens: { planner: maxOutput },
        cascade: { repeatLimit: 50 },
      },
    });

    assert.equal(run.summary.status, 'budget_exhausted', run.summary.message);
    const warnings = run.events.filter((e) => e.type === 'budget-warning');
    assert.equal(warnings.length, 1);
    const [warning] = warnings;
    assert.ok(warning.type === 'budget-warning' && warning.usd >= 0.8 * budgetUsd && warning.usd <= budgetUsd, JSON.stringify(warning));
    assert.equal(warning.budgetUsd, budgetUsd);

    const logged = run.summary.warnings.filter((w) => /80 %/.test(w));
    assert.equal(logged.length, 1, run.summary.warnings.join('\n'));
    const at = run.log.findIndex((r) => r.type === 'warning' && /80 %/.test(r.message));
    const callsBefore = run.log.slice(0, at).filter((r) => r.type === 'call');
    const callsAfter = run.log.slice(at).filter((r) => r.type === 'call');
    assert.ok(sumUsd(callsBefore) >= 0.8 * budgetUsd, 'not before 80 %');
    assert.ok(sumUsd(callsBefore.slice(0, -1)) < 0.8 * budgetUsd, 'right after the call that reached 80 %');
    assert.ok(callsAfter.length >= 1, 'later calls do not warn again');
    assert.ok(Math.abs(warning.usd - sumUsd(callsBefore)) < 1e-12);
    assert.ok(run.summary.cost.usd <= budgetUsd);
  });
});

describe('partial replies stay within the worst case', () => {
  test('a dropped stream is never booked above the worst case its budget check allowed', async () => {
    const maxOutput = 300;
    const long = plannerReply({ ...LIST, thought: 'y'.repeat(4000) }, 1);
    const script = (drop?: number) => [
      planner(long, drop === undefined ? {} : { dropAfterChars: drop }),
      planner(plannerReply(FINAL, 1), { repeat: -1 }),
    ];
    const config = { maxOutputTokens: { planner: maxOutput } };
    const probeServer = await serve(script());
    await runScripted({ openai: probeServer, config });
    // just enough for the first request's worst case
    const budgetUsd = worstCase(probeServer.requests[0], priceOf('cheap')) * (1 + 1e-9);

    // the server cuts the reply at maxOutput tokens (4 characters each) and drops the stream just before its end
    const openai = await serve(script(maxOutput * 4 - 1));
    const run = await runScripted({ openai, config: { ...config, budgetUsd } });

    const [dropped] = ofType(run, 'call');
    assert.equal(dropped.usage.estimated, true);
    assert.ok(dropped.usage.output <= maxOutput, `${dropped.usage.output} output tokens booked, at most ${maxOutput} can be billed`);
    assert.ok(run.summary.cost.usd <= budgetUsd, `${run.summary.cost.usd} spent of ${budgetUsd}`);
  });
});

/** A small seeded PRNG, so that a failing case can be replayed with its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RandomCase {
  index: number;
  budgetUsd: number;
  config: Record<string, unknown>;
  replies: Reply[];
}

function randomCase(random: () => number, index: number): RandomCase {
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const maxOutput = int(150, 1200);
  const maxSteps = int(2, 6);
  const replies: Reply[] = [];
  for (let step = 1; step <= maxSteps; step++) {
    const last = step === maxSteps && random() < 0.7;
    const action = last ? FINAL : { action: 'List Files', input: { dir_path: random() < 0.7 ? '.' : 'missing' } };
    const text =
      random() < 0.1
        ? 'Thought: unsure.\nAction: List Files'
        : plannerReply({ ...action, thought: `Next. ${'z'.repeat(int(0, 5000))}` }, step);
    const failure = random();
    if (failure < 0.15) replies.push(planner('', { status: 429, headers: { 'retry-after-ms': '1' }, repeat: int(1, 4) }));
    else if (failure < 0.2) replies.push(planner('', { status: 500, headers: { 'retry-after-ms': '1' } }));
    else if (failure < 0.35) {
      // drop within the first three quarters of what is streamed (the server cuts at maxOutput tokens)
      const streamed = Math.min(text.length, maxOutput * 4);
      replies.push(planner(text, { dropAfterChars: Math.floor(random() * 0.75 * streamed) }));
    }
    replies.push(planner(text));
  }
  replies.push(planner(plannerReply(FINAL, maxSteps + 1), { repeat: -1 }));
  const budgetUsd = 10 ** (-3.7 + random() * 1.7);
  const plannerModels = random() < 0.5 ? ['openai:cheap'] : ['openai:cheap', 'openai:mid'];
  return {
    index,
    budgetUsd,
    replies,
    config: {
      budgetUsd,
      maxSteps,
      lifelines: int(0, 2),
      models: { planner: plannerModels, worker: ['openai:cheap'], expert: 'openai:expert' },
      maxOutputTokens: { planner: maxOutput },
      cascade: { repeatLimit: int(2, 4) },
    },
  };
}

const SEED = Number(process.env.BUDGET_SEED ?? 0x5eed2031);
const RUNS = 40;

describe('random runs', () => {
  test(`${RUNS} random runs never exceed their budget and their ledger adds up (seed ${SEED}; replay with BUDGET_SEED)`, async () => {
    const random = mulberry32(SEED);
    const cases = Array.from({ length: RUNS }, (_, i) => randomCase(random, i));
    const seen = { statuses: new Set<string>(), dropped: 0, failedHttp: 0, escalations: 0 };

    const check = async (c: RandomCase) => {
      const openai = await serve(c.replies);
      const run = await runScripted({ openai, config: c.config });
      const what = `case ${c.index} (seed ${SEED}): ${run.summary.status} ${run.summary.message ?? ''}; $${run.summary.cost.usd} of $${c.budgetUsd}`;
      const calls = ofType(run, 'call');
      assert.ok(run.summary.cost.usd <= c.budgetUsd + 1e-12, `over budget: ${what}`);
      assert.ok(Math.abs(run.summary.cost.usd - sumUsd(calls)) < 1e-12, `the ledger is not the sum of the logged calls: ${what}`);
      // what the server reported is exactly what was booked for the calls that completed
      const completed = calls.filter((call) => call.error === undefined);
      const reported = openai.requests.filter((request) => request.usage !== undefined);
      assert.equal(completed.length, reported.length, `completed calls vs reported requests: ${what}`);
      const reportedUsd = reported.reduce((sum, request) => sum + reportedCost(request, priceOf(body(request).model)), 0);
      assert.ok(Math.abs(sumUsd(completed) - reportedUsd) < 1e-12, `booked ${sumUsd(completed)} vs reported ${reportedUsd}: ${what}`);
      assert.ok(['final_answer', 'max_steps', 'budget_exhausted', 'error'].includes(run.summary.status), what);
      seen.statuses.add(run.summary.status);
      seen.dropped += calls.filter((call) => call.usage.estimated).length;
      seen.failedHttp += calls.filter((call) => /429|500/.test(call.error ?? '')).length;
      seen.escalations += run.summary.escalations;
    };

    for (let i = 0; i < cases.length; i += 10) await Promise.all(cases.slice(i, i + 10).map(check));

    // the random cases did exercise what they are meant to
    assert.ok(seen.statuses.has('budget_exhausted') && seen.statuses.has('final_answer'), [...seen.statuses].join(', '));
    assert.ok(seen.dropped > 0 && seen.failedHttp > 0 && seen.escalations > 0, JSON.stringify(seen));
  });
});

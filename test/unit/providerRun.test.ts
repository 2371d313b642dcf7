import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { NodeHost } from '../../src/cli/nodeHost';
import type { RunEvent } from '../../src/core/events';
import { runAgent } from '../../src/core/run';
import type { RecordedRequest } from '../fixtures/fakeLlmScript';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import {
  readLog,
  runScripted,
  startFakeGemini,
  startFakeOpenAI,
  testConfig,
  TEST_PRICES,
  unscoredTask,
  type FakeServer,
  type Reply,
  type ScriptedRun,
} from '../fixtures/runHarness';

/** Provider failures through runAgent: a refused key, rate limits, broken and cancelled streams, exact cost. */

const servers: FakeServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function track(server: Promise<FakeServer>): Promise<FakeServer> {
  const started = await server;
  servers.push(started);
  return started;
}

interface Body {
  model: string;
  messages: { role: string; content: string }[];
}

const modelOf = (request: RecordedRequest): string => (request.body as Body).model ?? /models\/([^:]+):/.exec(request.path)?.[1] ?? '';
const ofType = (run: ScriptedRun, type: string) => run.log.filter((record) => record.type === type);
const sumUsd = (calls: Record<string, any>[]) => calls.reduce((sum, call) => sum + call.usd, 0);

const planner = (text: string, extra: Partial<Reply> = {}): Reply => ({ match: PLANNER_MATCH, model: 'cheap', text, ...extra });
const LIST = { action: 'List Files', input: { dir_path: '.' } };
const FINAL = { action: 'Final Answer', input: { final_answer: 'Done.' } };

/** A planner reply with a long Thought, so that it streams for a while. */
const longReply = (chars: number) =>
  plannerReply({ ...LIST, thought: `I will list the files. ${'Looking closely at every detail. '.repeat(Math.ceil(chars / 33))}` }, 1);

describe('a refused API key', () => {
  test('401 ends the run with status error and a clear message, without escalating or leaking the key', async () => {
    const key = 'sk-proj-Q7secretKEYvalue0123456789';
    const openai = await track(
      startFakeOpenAI(
        { replies: [planner(plannerReply(FINAL, 1), { repeat: -1 }), { text: 'unused', repeat: -1 }] },
        { apiKey: 'sk-the-right-key-000' },
      ),
    );
    const gemini = await track(startFakeGemini({ replies: [{ text: plannerReply(FINAL, 1), repeat: -1 }] }));
    const runDir = mkdtempSync(join(tmpdir(), 'budgetml-run-'));
    const events: RunEvent[] = [];
    const summary = await runAgent({
      task: unscoredTask(),
      config: testConfig(openai, gemini, {
        models: { planner: ['openai:cheap', 'openai:mid'], worker: ['openai:cheap'], expert: 'gemini:flash' },
      }),
      host: new NodeHost(() => {}),
      keys: { openai: key, gemini: 'gm-test' },
      runDir,
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
    });

    assert.equal(summary.status, 'error');
    assert.match(summary.message ?? '', /API key/);
    assert.match(summary.message ?? '', /openai cheap/, 'the message names the model that was refused');
    assert.deepEqual(openai.requests.map(modelOf), ['cheap'], 'a refused key is not retried, nor tried on mid');
    assert.equal(gemini.requests.length, 0, 'the expert is never asked');
    const log = readLog(runDir);
    assert.equal(log.filter((r) => r.type === 'escalation').length, 0);
    assert.equal(summary.escalations, 0);
    assert.equal(summary.cost.usd, 0);
    const logText = readFileSync(join(runDir, 'log.jsonl'), 'utf8');
    const summaryText = readFileSync(join(runDir, 'summary.json'), 'utf8');
    for (const [name, text] of [
      ['log.jsonl', logText],
      ['summary.json', summaryText],
      ['events', JSON.stringify(events)],
    ]) {
      assert.ok(!text.includes(key), `${name} holds the key`);
      assert.ok(!text.includes(key.slice(8, 24)), `${name} holds part of the key`);
    }
    const failed = log.find((r) => r.type === 'call');
    assert.match(failed?.error ?? '', /401|Incorrect API key/);
  });
});

describe('retries', () => {
  test('a 429 with retry-after is retried after the server’s delay and the run succeeds', async () => {
    const openai = await track(
      startFakeOpenAI({
        replies: [
          planner('', { status: 429, headers: { 'retry-after': '0.02' } }),
          planner(plannerReply(LIST, 1)),
          planner(plannerReply(FINAL, 2)),
        ],
      }),
    );
    const run = await runScripted({ openai });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(run.summary.steps, 2);
    assert.equal(openai.requests.length, 3);
    const calls = ofType(run, 'call');
    assert.deepEqual(
      calls.map((c) => [c.step, c.attempt, c.error === undefined]),
      [
        [1, 1, false],
        [1, 2, true],
        [2, 1, true],
      ],
    );
    assert.match(calls[0].error, /429/);
    assert.equal(calls[0].usd, 0);
    assert.ok(
      run.summary.warnings.some((w) => /openai:cheap: .*429.*retrying in 20 ms/.test(w)),
      run.summary.warnings.join('\n'),
    );
    assert.equal(run.summary.escalations, 0);
  });

  test('a 500 with retry-after-ms is retried after the server’s delay', async () => {
    const openai = await track(
      startFakeOpenAI({ replies: [planner('', { status: 500, headers: { 'retry-after-ms': '1' } }), planner(plannerReply(FINAL, 1))] }),
    );
    const run = await runScripted({ openai });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.ok(
      run.summary.warnings.some((w) => /500.*retrying in 1 ms/.test(w)),
      run.summary.warnings.join('\n'),
    );
  });
});

describe('streams that do not finish', () => {
  test('a dropped stream’s partial tokens are booked (estimated), then the retry succeeds', async () => {
    const openai = await track(
      startFakeOpenAI({
        replies: [planner(plannerReply(LIST, 1), { dropAfterChars: 120 }), planner(plannerReply(LIST, 1)), planner(plannerReply(FINAL, 2))],
      }),
    );
    const run = await runScripted({ openai });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const calls = ofType(run, 'call');
    const dropped = calls.filter((c) => c.error !== undefined);
    assert.equal(dropped.length, 1);
    const [partial] = dropped;
    assert.equal(partial.attempt, 1);
    assert.match(partial.error, /stream/);
    assert.equal(partial.usage.estimated, true);
    assert.ok(partial.usage.input > 0, 'the prompt that was sent is counted');
    assert.ok(
      partial.usage.output > 0 && partial.usage.output <= 120,
      `the ${partial.usage.output} output tokens come from the 120 characters received`,
    );
    assert.ok(partial.usd > 0);
    assert.equal(openai.requests[0].usage, undefined, 'the server reported nothing for it');
    // the ledger: what the server reported plus the estimate of the dropped stream
    const reported = calls.filter((c) => c.error === undefined);
    assert.ok(Math.abs(run.summary.cost.usd - (sumUsd(reported) + partial.usd)) < 1e-12);
    assert.ok(Math.abs(run.summary.cost.byModel['openai:cheap'] - run.summary.cost.usd) < 1e-12);
  });

  test('cancelling while a reply streams ends the run cancelled, and the partial call is counted', async () => {
    const openai = await track(startFakeOpenAI({ replies: [planner(longReply(3000), { chunkDelayMs: 10 })] }));
    const controller = new AbortController();
    const run = await runScripted({
      openai,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'spend' && event.streaming && !controller.signal.aborted) setTimeout(() => controller.abort(), 30);
      },
    });

    assert.ok(controller.signal.aborted, 'the reply did stream');
    assert.equal(run.summary.status, 'cancelled');
    const calls = ofType(run, 'call');
    assert.equal(calls.length, 1);
    assert.match(calls[0].error, /cancel/);
    assert.equal(calls[0].usage.estimated, true);
    assert.ok(calls[0].usage.input > 0 && calls[0].usage.output > 0, JSON.stringify(calls[0].usage));
    assert.ok(calls[0].usage.output < Math.ceil(3000 / 3), 'the run stopped without waiting for the whole stream');
    assert.ok(calls[0].usd > 0);
    assert.equal(run.summary.cost.usd, calls[0].usd);
    assert.equal(run.summary.steps, 0);
    assert.deepEqual(run.log.at(-1), { ...run.log.at(-1), type: 'end', status: 'cancelled' });
  });
});

describe('exact cost', () => {
  test('a Gemini planner (with thinking) and an OpenAI worker cost the servers’ own token counts times the prices', async () => {
    const understand = (things: string) => ({ action: 'Understand File', input: { file_name: 'notes.txt', things_to_look_for: things } });
    const gemini = await track(
      startFakeGemini({
        replies: [
          { match: PLANNER_MATCH, model: 'flash', text: plannerReply(understand('the learning rate'), 1), thoughtsTokens: 311 },
          { match: PLANNER_MATCH, model: 'flash', text: plannerReply(understand('the batch size'), 2), thoughtsTokens: 97 },
          { match: PLANNER_MATCH, model: 'flash', text: plannerReply(FINAL, 3), thoughtsTokens: 45 },
        ],
      }),
    );
    const openai = await track(
      startFakeOpenAI({
        replies: [
          { match: 'the learning rate', model: 'cheap', text: 'Line 3 sets the learning rate to 0.01.' },
          { match: 'the batch size', model: 'cheap', text: 'Line 4 sets the batch size to 64.' },
        ],
      }),
    );
    const task = unscoredTask();
    const notes = [
      '# training notes',
      'optimizer: sgd',
      'learning rate: 0.01',
      'batch size: 64',
      ...Array.from({ length: 60 }, (_, i) => `observation ${i}: the validation loss went down a little again.`),
    ];
    writeFileSync(join(task.workspace, 'notes.txt'), notes.join('\n') + '\n');
    const run = await runScripted({
      openai,
      gemini,
      task,
      config: { models: { planner: ['gemini:flash'], worker: ['openai:cheap'], expert: 'openai:expert' } },
    });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(gemini.requests.length, 3);
    assert.equal(openai.requests.length, 2);
    const expected = (server: FakeServer, modelId: keyof typeof TEST_PRICES) => {
      const price = TEST_PRICES[modelId];
      return server.requests.reduce((sum, request) => {
        const u = request.usage!;
        assert.ok(u, `the server reported usage for ${request.path}`);
        return sum + ((u.input - u.cachedInput) * price.input + u.cachedInput * price.cachedInput + u.output * price.output) / 1e6;
      }, 0);
    };
    const geminiUsd = expected(gemini, 'gemini:flash');
    const openaiUsd = expected(openai, 'openai:cheap');
    // the test only means something when caching and thinking are in play
    assert.ok(
      gemini.totals.cachedInput > 0 && openai.totals.cachedInput > 0,
      `cached: gemini ${gemini.totals.cachedInput}, openai ${openai.totals.cachedInput}`,
    );
    assert.ok(gemini.totals.output > 311 + 97 + 45);

    const { cost, tokens } = run.summary;
    assert.ok(Math.abs(cost.usd - (geminiUsd + openaiUsd)) < 1e-12, `${cost.usd} vs ${geminiUsd + openaiUsd}`);
    assert.ok(Math.abs(cost.byModel['gemini:flash'] - geminiUsd) < 1e-12);
    assert.ok(Math.abs(cost.byModel['openai:cheap'] - openaiUsd) < 1e-12);
    assert.ok(Math.abs(cost.byRole.planner - geminiUsd) < 1e-12);
    assert.ok(Math.abs(cost.byRole.worker - openaiUsd) < 1e-12);
    assert.deepEqual(tokens, {
      input: gemini.totals.input + openai.totals.input,
      cachedInput: gemini.totals.cachedInput + openai.totals.cachedInput,
      output: gemini.totals.output + openai.totals.output,
    });
    assert.ok(ofType(run, 'call').every((c) => c.usage.estimated === undefined && c.error === undefined));
  });
});

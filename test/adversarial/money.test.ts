import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseConfig } from '../../src/core/config';
import { BudgetExhaustedError, BudgetGuard } from '../../src/core/cost/budget';
import { Ledger, type CallStart } from '../../src/core/cost/ledger';
import { ModelClient } from '../../src/core/llm/client';
import { estimateMessagesTokens, estimateTokens } from '../../src/core/llm/estimate';
import { ProviderPool } from '../../src/core/llm/providers';
import { encodingFor, promptTokens, textTokens } from '../../src/core/llm/tokens';
import { parseModelRef, type ChatMessage } from '../../src/core/llm/types';
import { ResearchLog } from '../../src/core/memory/researchLog';
import type { FakeServer, FakeServerOptions, RecordedRequest, Script } from '../fixtures/fakeLlmScript';
import { startFakeGemini } from '../fixtures/fakeGemini';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { useFakeServers } from '../fixtures/servers';

/**
 * Money under attack: prompts in any script, a run killed mid-request, a server that ignores the
 * output limit and a stream that stalls never let spending escape the ledger or the budget.
 * Fake servers through the real SDKs.
 */

const PRICE = { input: 2, output: 8 };
const serveOpenAI = useFakeServers(startFakeOpenAI);
const serveGemini = useFakeServers(startFakeGemini);

/** A real tokenizer's bad case: ASCII at four characters a token, every other character two tokens. */
function harshTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii++;
    else other += 2;
  }
  return Math.ceil(ascii / 4) + other;
}

function billed(requests: RecordedRequest[]): number {
  return requests.reduce((sum, r) => sum + (r.usage ? (r.usage.input * PRICE.input + r.usage.output * PRICE.output) / 1e6 : 0), 0);
}

interface Setup {
  client: ModelClient;
  ledger: Ledger;
  log: ResearchLog;
  starts: CallStart[];
  logPath: string;
}

/** Model names each provider's own tokenizer rules apply to (an OpenAI name is counted with its BPE). */
const modelOf = (provider: 'openai' | 'gemini') => (provider === 'openai' ? 'openai:gpt-4.1-mini' : 'gemini:gemini-2.5-flash');

function setUp(
  server: FakeServer,
  provider: 'openai' | 'gemini',
  config: Record<string, unknown> = {},
  redact?: (text: string) => string,
): Setup {
  const parsed = parseConfig({
    providers: { [provider]: { baseUrl: server.url } },
    models: { planner: [modelOf(provider)], worker: [modelOf(provider)], expert: modelOf(provider) },
    prices: { [modelOf(provider)]: PRICE },
    budgetUsd: 1,
    ...config,
  });
  const logPath = join(mkdtempSync(join(tmpdir(), 'money-')), 'log.jsonl');
  const log = ResearchLog.create(logPath);
  const ledger = new Ledger();
  const starts: CallStart[] = [];
  const client = new ModelClient({
    config: parsed,
    providers: new ProviderPool(parsed, { openai: 'sk-test', gemini: 'gm-test' }),
    ledger,
    budget: new BudgetGuard(parsed.budgetUsd, ledger),
    log,
    emit: () => {},
    redact,
    onCallStarted: (start) => starts.push(start),
    sleep: async () => {},
  });
  return { client, ledger, log, starts, logPath };
}

const ask = (setup: Setup, provider: 'openai' | 'gemini', messages: ChatMessage[], maxOutputTokens = 100) =>
  setup.client.complete(
    parseModelRef(modelOf(provider)),
    { messages, maxOutputTokens, temperature: 0 },
    { step: 1, role: 'planner', purpose: 'test' },
    new AbortController().signal,
  );

const calls = (log: ResearchLog) => log.all().filter((r) => r.type === 'call') as Array<Record<string, any>>;

describe('token estimates are pessimistic for every script', () => {
  test('CJK, Cyrillic and emoji count at least a token a character; ASCII a token per three', () => {
    assert.equal(estimateTokens('abcdef'), 2);
    assert.ok(estimateTokens('训练一个模型') >= 6 * 2);
    assert.ok(estimateTokens('обучение') >= 8);
    assert.ok(estimateTokens('😀😀') >= 4);
    assert.ok(estimateTokens('训练一个模型') >= harshTokens('训练一个模型'));
  });

  for (const provider of ['openai', 'gemini'] as const) {
    test(`${provider}: a Chinese task never lets the server bill more than the budget`, async () => {
      const cjk = '请训练一个梯度提升模型并报告验证集上的均方误差。'.repeat(40);
      const reply = { text: '好的，我会先查看数据文件。'.repeat(20), repeat: -1 };
      // the fake OpenAI bills prompts with OpenAI's own tokenizer; Gemini's is billed by a harsh count
      const options = provider === 'openai' ? { chunkChars: 64 } : { promptTokens: harshTokens, chunkChars: 64 };
      const server = await (provider === 'openai' ? serveOpenAI : serveGemini)({ replies: [reply] }, options);
      const messages = [{ role: 'user' as const, content: cjk }];
      // room for one call's worst case, not for two
      const worst = (promptTokens(parseModelRef(modelOf(provider)), messages) * PRICE.input + 100 * PRICE.output) / 1e6;
      const budgetUsd = worst * 1.2;
      const setup = setUp(server, provider, { budgetUsd });
      let refused = false;
      for (let i = 0; i < 10 && !refused; i++) {
        await ask(setup, provider, messages).catch((error: unknown) => {
          assert.ok(error instanceof BudgetExhaustedError);
          refused = true;
        });
      }
      assert.ok(refused, 'the budget stops the run');
      assert.equal(server.requests.length, 1);
      assert.ok(billed(server.requests) <= budgetUsd, `billed ${billed(server.requests)} of ${budgetUsd}`);
      assert.ok(Math.abs(setup.ledger.totalUsd - billed(server.requests)) < 1e-12);
    });
  }
});

describe('the real tokenizer counts OpenAI prompts, never below what the server bills', () => {
  const gpt = (model: string) => parseModelRef(`openai:${model}`);

  test('o200k for gpt-4o, gpt-4.1, o-series, gpt-5 and a compatible server’s models; cl100k for gpt-4 and gpt-3.5; none for Gemini', () => {
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1-mini', 'o3', 'o4-mini', 'gpt-5', 'ft:gpt-4o-mini:acme::x1', 'llama3.1:8b'])
      assert.equal(encodingFor(gpt(model)), 'o200k_base', model);
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-4-0613', 'gpt-3.5-turbo'])
      assert.equal(encodingFor(gpt(model)), 'cl100k_base', model);
    assert.equal(encodingFor(parseModelRef('gemini:gemini-2.5-flash')), undefined);
  });

  test('a compatible server’s model is counted with a margin over o200k, never below the estimate', () => {
    const text = 'def train(x):\n    return model.fit(x, y)\n'.repeat(40);
    const exact = textTokens(gpt('gpt-4.1'), text);
    const other = textTokens(gpt('llama3.1:8b'), text);
    assert.ok(other >= Math.ceil(exact * 1.25) && other >= estimateTokens(text), `${other} vs o200k ${exact}`);
  });

  test('the count is far tighter than the per-script estimate, and an upper bound of the server’s count', async () => {
    const texts = [
      'Lower the test MAE of train.py. '.repeat(200),
      '请训练一个梯度提升模型并报告验证集上的均方误差。'.repeat(50),
      'def train(x):\n    return model.fit(x, y)  # обучение 😀\n'.repeat(80),
      'a special token as plain text: <|endoftext|> <|im_start|>',
    ];
    const server = await serveOpenAI({ replies: texts.map(() => ({ text: 'ok' })) });
    const setup = setUp(server, 'openai');
    for (const text of texts) {
      const messages: ChatMessage[] = [
        { role: 'system', content: 'You plan ML experiments.' },
        { role: 'user', content: text },
      ];
      await ask(setup, 'openai', messages);
      const counted = promptTokens(parseModelRef(modelOf('openai')), messages);
      const reported = server.requests.at(-1)!.usage!.input;
      assert.ok(counted >= reported, `counted ${counted} < billed ${reported}`);
      assert.ok(counted <= reported + 2 * 4, `counted ${counted}, billed ${reported}: only the format's margin apart`);
      if (text.length > 1000) assert.ok(counted < estimateMessagesTokens(messages), 'tighter than the pessimistic estimate');
    }
  });
});

describe('budget used, never passed', () => {
  test('a budget that pays for exactly one planner call gets it, with max_tokens lowered; the server bills no more than the budget', async () => {
    const prompt: ChatMessage[] = [{ role: 'user', content: 'Lower the test MAE of train.py. '.repeat(100) }];
    const server = await serveOpenAI({ replies: [{ text: 'Reflection: '.padEnd(4000, 'x'), repeat: -1 }] });
    const promptUsd = (promptTokens(parseModelRef(modelOf('openai')), prompt) * PRICE.input) / 1e6;
    // the prompt and 700 output tokens of the 2000 asked for
    const budgetUsd = promptUsd + (700 * PRICE.output) / 1e6;
    const setup = setUp(server, 'openai', { budgetUsd });

    const result = await ask(setup, 'openai', prompt, 2000);
    const second = await ask(setup, 'openai', prompt, 2000).catch((error: unknown) => error);

    assert.ok(result.text.length > 0);
    assert.ok(second instanceof BudgetExhaustedError, 'the second call is refused');
    assert.match(second.message, /^Budget reached: the next planner call may cost up to/);
    assert.equal(server.requests.length, 1);
    assert.equal((server.requests[0].body as { max_tokens: number }).max_tokens, 700);
    assert.equal(setup.starts[0].maxOutputTokens, 700);
    assert.ok(billed(server.requests) <= budgetUsd, `billed ${billed(server.requests)} of ${budgetUsd}`);
    assert.ok(setup.ledger.totalUsd <= budgetUsd);
    assert.ok(setup.log.all().some((r) => r.type === 'warning' && /may write 700 output tokens instead of 2000/.test(r.message)));
  });

  test('gemini: maxOutputTokens is lowered the same way', async () => {
    const prompt: ChatMessage[] = [{ role: 'user', content: 'Lower the test MAE of train.py. '.repeat(100) }];
    const server = await serveGemini({ replies: [{ text: 'y'.repeat(4000), repeat: -1 }] });
    const promptUsd = (promptTokens(parseModelRef(modelOf('gemini')), prompt) * PRICE.input) / 1e6;
    const budgetUsd = promptUsd + (300 * PRICE.output) / 1e6;
    const setup = setUp(server, 'gemini', { budgetUsd });

    await ask(setup, 'gemini', prompt, 2000);

    const config = (server.requests[0].body as { generationConfig: { maxOutputTokens: number } }).generationConfig;
    assert.equal(config.maxOutputTokens, 300);
    assert.ok(billed(server.requests) <= budgetUsd);
  });

  test('below 256 output tokens the call is refused, not sent', async () => {
    const prompt: ChatMessage[] = [{ role: 'user', content: 'Lower the test MAE of train.py.' }];
    const server = await serveOpenAI({ replies: [{ text: 'never sent' }] });
    const promptUsd = (promptTokens(parseModelRef(modelOf('openai')), prompt) * PRICE.input) / 1e6;
    const setup = setUp(server, 'openai', { budgetUsd: promptUsd + (255 * PRICE.output) / 1e6 });

    const error = await ask(setup, 'openai', prompt, 2000).catch((caught: unknown) => caught);

    assert.ok(error instanceof BudgetExhaustedError);
    assert.equal(server.requests.length, 0);
  });
});

describe('a run killed mid-request still counts that request when it resumes', () => {
  test('every call reports its worst case before it is sent, and its call record names it', async () => {
    const server = await serveOpenAI({ replies: [{ text: 'Listing the files first.' }] });
    const setup = setUp(server, 'openai');
    await ask(setup, 'openai', [{ role: 'user', content: 'Train a model.' }]);
    assert.equal(setup.starts.length, 1);
    const [start] = setup.starts;
    assert.equal(calls(setup.log)[0].callId, start.callId);
    assert.ok(start.worstCaseUsd >= setup.ledger.totalUsd);
    assert.equal(start.maxOutputTokens, 100);
  });

  test('a started call without its end is booked at its worst case by Ledger.fromLog', async () => {
    const server = await serveOpenAI({ replies: [{ text: 'Listing the files first.' }, { text: 'never sent' }] });
    const setup = setUp(server, 'openai');
    await ask(setup, 'openai', [{ role: 'user', content: 'Train a model.' }]);
    const finished = setup.ledger.totalUsd;
    // the log as a kill -9 leaves it: the first call started and ended, the second only started
    const crashed: CallStart = {
      ...setup.starts[0],
      callId: 'killed',
      attempt: 1,
      worstCaseUsd: 0.25,
      promptTokens: 900,
      maxOutputTokens: 4000,
    };
    const lines: object[] = [
      ...setup.log
        .all()
        .flatMap((record): object[] =>
          record.type === 'call' ? [{ type: 'call-started', time: record.time, ...setup.starts[0] }, record] : [record],
        ),
      { type: 'call-started', time: new Date().toISOString(), ...crashed },
    ];
    writeFileSync(setup.logPath, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');

    const resumed = Ledger.fromLog(ResearchLog.create(setup.logPath).all());
    assert.ok(Math.abs(resumed.totalUsd - (finished + 0.25)) < 1e-12);
    assert.equal(resumed.calls.length, 2);
    assert.deepEqual(resumed.calls[1].usage, { input: 900, cachedInput: 0, output: 4000, estimated: true });
    // the old rebuilding lost it
    assert.ok(Math.abs(Ledger.fromCalls(resumed.calls.slice(0, 1)).totalUsd - finished) < 1e-12);
  });
});

describe('prompts are redacted before they are sent', () => {
  test('a key pasted into a message never reaches the server', async () => {
    const server = await serveOpenAI({ replies: [{ text: 'ok' }] });
    const secret = 'sk-proj-SECRET-0123456789';
    const setup = setUp(server, 'openai', {}, (text) => text.split(secret).join('[redacted OPENAI_API_KEY]'));
    await ask(setup, 'openai', [{ role: 'user', content: `my key is ${secret}, use it` }]);
    const sent = JSON.stringify(server.requests[0].body);
    assert.ok(!sent.includes(secret));
    assert.ok(sent.includes('[redacted OPENAI_API_KEY]'));
  });
});

for (const provider of ['openai', 'gemini'] as const) {
  const serve = (script: Script, options?: FakeServerOptions) => (provider === 'openai' ? serveOpenAI : serveGemini)(script, options);

  describe(`${provider}: runaway and stalled streams`, () => {
    test('a 1 MB reply from a server that ignores the limit is cut; the next prompt stays small', async () => {
      const huge = 'x'.repeat(1_000_000);
      const server = await serve({ replies: [{ text: huge, ignoreMaxTokens: true }, { text: 'next' }] }, { chunkChars: 1000 });
      const setup = setUp(server, provider);
      const started = Date.now();
      const first = await ask(setup, provider, [{ role: 'user', content: 'Train a model.' }], 200);
      assert.ok(first.text.length <= 200 * 16, `kept ${first.text.length} characters`);
      assert.equal(first.overran, true);
      // what was received is booked, past the limit the server ignored
      assert.ok(calls(setup.log)[0].usage.output > 200);
      assert.ok(setup.log.all().some((r) => r.type === 'warning' && /cut at/.test(r.message)));
      await ask(
        setup,
        provider,
        [
          { role: 'user', content: 'Train a model.' },
          { role: 'assistant', content: first.text },
          { role: 'user', content: 'Go on.' },
        ],
        200,
      );
      assert.ok(JSON.stringify(server.requests[1].body).length < 10_000);
      assert.ok(Date.now() - started < 10_000);
    });

    test('a stalled stream is cancelled after the idle timeout, booked and retried', async () => {
      const server = await serve({ replies: [{ text: 'stalls before this', chunkDelayMs: 120_000 }, { text: 'second try' }] });
      const setup = setUp(server, provider, { requestIdleTimeoutSec: 1 });
      const started = Date.now();
      const result = await ask(setup, provider, [{ role: 'user', content: 'Train a model.' }]);
      const elapsed = Date.now() - started;
      assert.equal(result.text, 'second try');
      assert.ok(elapsed >= 900 && elapsed < 5000, `took ${elapsed} ms`);
      assert.equal(server.requests.length, 2);
      const [stalled, retried] = calls(setup.log);
      assert.match(stalled.error, /nothing arrived for 1 s/);
      assert.ok(stalled.usd > 0 && stalled.usage.input > 0, 'the prompt of the stalled request is counted');
      assert.equal(retried.attempt, 2);
      assert.equal(setup.starts.length, 2);
      assert.deepEqual(
        calls(setup.log).map((c) => c.callId),
        setup.starts.map((s) => s.callId),
      );
    });
  });
}

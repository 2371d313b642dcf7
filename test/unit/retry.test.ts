import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenAIProvider } from '../../src/core/llm/openai';
import { abortableSleep, kindForStatus, retryAfterMsFromHeaders, retryDelayMs, withRetry } from '../../src/core/llm/retry';
import { ProviderError, type ProviderErrorKind } from '../../src/core/llm/types';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';

const fail = (kind: ProviderErrorKind, retryAfterMs?: number) => new ProviderError(`failed: ${kind}`, kind, undefined, retryAfterMs);

/** A sleep that records the waits instead of waiting. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('withRetry', () => {
  it('retries retryable failures and honours retry-after', async () => {
    const { waits, sleep } = recordingSleep();
    const failures = [fail('rate_limit', 1200), fail('server'), fail('network')];
    const result = await withRetry(
      async (n) => {
        if (n <= failures.length) throw failures[n - 1];
        return `done on ${n}`;
      },
      { maxAttempts: 4, baseDelayMs: 100, sleep },
    );
    assert.equal(result, 'done on 4');
    assert.equal(waits[0], 1200, 'the server said how long');
    assert.ok(waits[1] >= 100 && waits[1] <= 200, `second backoff ${waits[1]}`);
    assert.ok(waits[2] >= 200 && waits[2] <= 400, `third backoff ${waits[2]}`);
  });

  it('caps retry-after at maxDelayMs', async () => {
    const { waits, sleep } = recordingSleep();
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls === 1) throw fail('rate_limit', 120_000);
        return 'ok';
      },
      { maxDelayMs: 5000, sleep },
    );
    assert.deepEqual(waits, [5000]);
  });

  it('gives up after maxAttempts, telling onFailure each time', async () => {
    const { sleep } = recordingSleep();
    const seen: [number, boolean][] = [];
    const last = fail('server');
    await assert.rejects(
      withRetry(async () => Promise.reject(last), {
        maxAttempts: 3,
        sleep,
        onFailure: (_error, attempt, willRetry) => seen.push([attempt, willRetry]),
      }),
      (error) => error === last,
    );
    assert.deepEqual(seen, [
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  for (const kind of ['auth', 'bad_request', 'cancelled'] as const) {
    it(`does not retry ${kind}`, async () => {
      let calls = 0;
      await assert.rejects(
        withRetry(async () => {
          calls++;
          throw fail(kind);
        }),
        (error) => error instanceof ProviderError && error.kind === kind,
      );
      assert.equal(calls, 1);
    });
  }

  it('lets other errors through unchanged, without retrying', async () => {
    let calls = 0;
    const bug = new TypeError('not a provider failure');
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw bug;
      }),
      (error) => error === bug,
    );
    assert.equal(calls, 1);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await assert.rejects(
      withRetry(async () => Promise.reject(fail('rate_limit', 10_000)), { signal: controller.signal }),
      (error) => error instanceof ProviderError && error.kind === 'cancelled',
    );
    assert.ok(Date.now() - started < 1000);
  });

  it('does not start when already cancelled', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => ++calls, { signal: AbortSignal.abort() }),
      (error) => error instanceof ProviderError && error.kind === 'cancelled',
    );
    assert.equal(calls, 0);
  });
});

describe('retry helpers', () => {
  it('backs off exponentially with jitter between half and all of the step', () => {
    const error = fail('server');
    const options = { baseDelayMs: 500, maxDelayMs: 30_000 };
    assert.equal(
      retryDelayMs(error, 1, options, () => 0),
      250,
    );
    assert.equal(
      retryDelayMs(error, 1, options, () => 1),
      500,
    );
    assert.equal(
      retryDelayMs(error, 3, options, () => 1),
      2000,
    );
    assert.equal(
      retryDelayMs(error, 20, options, () => 1),
      30_000,
    );
  });

  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    const headers = (values: Record<string, string>) => (name: string) => values[name];
    assert.equal(retryAfterMsFromHeaders(headers({ 'retry-after-ms': '250' })), 250);
    assert.equal(retryAfterMsFromHeaders(headers({ 'retry-after': '1.5' })), 1500);
    assert.equal(retryAfterMsFromHeaders(headers({ 'retry-after': 'soon' })), undefined);
    assert.equal(retryAfterMsFromHeaders(headers({ 'retry-after-ms': '' })), undefined);
    assert.equal(retryAfterMsFromHeaders(headers({ 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' })), 0);
    assert.equal(retryAfterMsFromHeaders(headers({})), undefined);
  });

  it('classifies HTTP statuses', () => {
    assert.deepEqual([401, 403, 429, 500, 503, 400, 404, 422].map(kindForStatus), [
      'auth',
      'auth',
      'rate_limit',
      'server',
      'server',
      'bad_request',
      'bad_request',
      'bad_request',
    ]);
  });

  it('abortableSleep resolves after the time', async () => {
    const started = Date.now();
    await abortableSleep(15);
    assert.ok(Date.now() - started >= 10);
  });
});

describe('withRetry around a real provider call', () => {
  it("waits the server's retry-after, then succeeds", async () => {
    const server = await startFakeOpenAI({
      replies: [{ status: 429, headers: { 'retry-after-ms': '30' } }, { text: 'second time lucky' }],
    });
    try {
      const provider = new OpenAIProvider({ apiKey: 'sk-test', baseUrl: server.url });
      const delays: number[] = [];
      const started = Date.now();
      const result = await withRetry(
        () => provider.complete({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 50, temperature: 0 }, {}),
        { onFailure: (_error, _attempt, _willRetry, delayMs) => delays.push(delayMs) },
      );
      assert.equal(result.text, 'second time lucky');
      assert.deepEqual(delays, [30]);
      assert.ok(Date.now() - started >= 30);
      assert.equal(server.requests.length, 2);
    } finally {
      await server.close();
    }
  });

  it('gives up after maxAttempts requests and never retries a rejected key', async () => {
    const server = await startFakeOpenAI({ replies: [{ status: 502, repeat: 3 }, { status: 401 }] });
    try {
      const provider = new OpenAIProvider({ apiKey: 'sk-test', baseUrl: server.url });
      const call = () =>
        withRetry(
          () => provider.complete({ model: 'm', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 5, temperature: 0 }, {}),
          {
            maxAttempts: 3,
            baseDelayMs: 1,
          },
        );
      await assert.rejects(call(), (error) => error instanceof ProviderError && error.kind === 'server');
      assert.equal(server.requests.length, 3);
      await assert.rejects(call(), (error) => error instanceof ProviderError && error.kind === 'auth');
      assert.equal(server.requests.length, 4);
    } finally {
      await server.close();
    }
  });
});

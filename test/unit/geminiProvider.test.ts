import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateMessagesTokens, estimateTokens } from '../../src/core/llm/estimate';
import { GeminiProvider } from '../../src/core/llm/gemini';
import type { ChatMessage } from '../../src/core/llm/types';
import { startFakeGemini } from '../fixtures/fakeGemini';
import { assertStreamsExactly, failure, useProviderServers } from '../fixtures/servers';

const KEY = 'AIzaTestKey0123456789abcdefghij';
const { serve, ask } = useProviderServers(startFakeGemini, (baseUrl) => new GeminiProvider({ apiKey: KEY, baseUrl }), 'gemini-test');

describe('GeminiProvider against the fake Gemini server', () => {
  it('streams deltas in order and reports exactly the usage the server counted', async () => {
    const server = await assertStreamsExactly(serve, ask, 'Reflection: none yet. Action: List Files');
    const recorded = server.requests[0];
    assert.match(recorded.path, /^\/v1beta\/models\/gemini-test:streamGenerateContent\?alt=sse$/);
    assert.equal(recorded.headers['x-goog-api-key'], KEY);
  });

  it('sends system messages as systemInstruction and assistant turns as role model', async () => {
    const { server, provider } = await serve({ replies: [{ text: 'ok' }] });
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Q1' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'Q2' },
    ];
    await provider.complete({ model: 'gemini-test', messages, maxOutputTokens: 64, temperature: 0.01 }, {});
    const body = server.requests[0].body as Record<string, any>;
    assert.deepEqual(body.systemInstruction.parts, [{ text: 'Be brief.' }]);
    assert.deepEqual(
      body.contents.map((content: { role: string }) => content.role),
      ['user', 'model', 'user'],
    );
    assert.deepEqual(body.generationConfig, { temperature: 0.01, maxOutputTokens: 64 });
    assert.ok(!JSON.stringify(body).includes('automaticContinuation'), 'SDK-only options stay out of the request');
  });

  it('counts thinking tokens as output', async () => {
    const { server, provider } = await serve({ replies: [{ text: 'short answer', thoughtsTokens: 120 }] });
    const result = await provider.complete(ask('think hard'), {});
    assert.equal(result.usage.output, Math.ceil('short answer'.length / 4) + 120);
    assert.deepEqual(result.usage, server.totals);
  });

  it('reports cached tokens when a long prompt repeats its prefix', async () => {
    const { server, provider } = await serve({ replies: [{ text: 'noted', repeat: -1 }] });
    const context = 'Observation of the last step. '.repeat(60);
    const first = await provider.complete(ask(`${context}Step 1`), {});
    const second = await provider.complete(ask(`${context}Step 2`), {});

    assert.equal(first.usage.cachedInput, 0);
    assert.ok(second.usage.cachedInput > 0.9 * second.usage.input);
    assert.deepEqual(second.usage, server.requests[1].usage);
    assert.equal(first.usage.cachedInput + second.usage.cachedInput, server.totals.cachedInput);
  });

  it('estimates usage when a stream ends without usageMetadata', async () => {
    const { provider } = await serve({ replies: [{ text: 'unmetered', omitUsage: true }] });
    const result = await provider.complete(ask('x'), {});
    assert.equal(result.usage.estimated, true);
    assert.equal(result.usage.output, estimateTokens('unmetered'));
  });

  it("maps Google's wrong-key answer (400 API_KEY_INVALID) to auth", async () => {
    const { provider } = await serve({ replies: [] }, 'AIzaTheRightKey');
    const error = await failure(provider.complete(ask('hi'), {}));
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 400);
    assert.match(error.message, /API key not valid/);
  });

  it('maps 401 to auth and never repeats the key', async () => {
    const { provider } = await serve({ replies: [{ status: 401 }] });
    const error = await failure(provider.complete(ask('hi'), {}));
    assert.equal(error.kind, 'auth');
    assert.equal(error.retryable, false);
    assert.ok(!error.message.includes(KEY), error.message);
    assert.ok(!error.message.includes('0123456789'), error.message);
  });

  it("maps 429 to rate_limit with Google's RetryInfo delay", async () => {
    const { provider } = await serve({ replies: [{ status: 429, headers: { 'retry-after': '3' } }] });
    const error = await failure(provider.complete(ask('hi'), {}));
    assert.equal(error.kind, 'rate_limit');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 3000);
  });

  it('maps 500 to server, without retrying inside the SDK', async () => {
    const { server, provider } = await serve({ replies: [{ status: 500, repeat: -1 }] });
    const error = await failure(provider.complete(ask('hi'), {}));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 500);
    assert.equal(server.requests.length, 1);
  });

  it('reports a stream dropped mid-way as network, with the partial text and estimated usage', async () => {
    const text = 'Thought: check the data. Action: Understand File';
    const { server, provider } = await serve({ replies: [{ text, dropAfterChars: 16 }] });
    const request = ask('go');
    const error = await failure(provider.complete(request, {}));

    assert.equal(error.kind, 'network');
    assert.equal(error.partial?.text, text.slice(0, 16));
    assert.deepEqual(error.partial?.usage, {
      input: estimateMessagesTokens(request.messages),
      cachedInput: 0,
      output: estimateTokens(text.slice(0, 16)),
      estimated: true,
    });
    assert.equal(server.requests.length, 1, 'the SDK did not resend the request');
  });

  it('cancels mid-stream with the partial text', async () => {
    const { provider } = await serve({ replies: [{ text: 'b'.repeat(80), chunkDelayMs: 30 }] });
    const controller = new AbortController();
    const error = await failure(provider.complete(ask('go'), { signal: controller.signal, onDelta: () => controller.abort() }));
    assert.equal(error.kind, 'cancelled');
    assert.ok(error.partial && error.partial.text.length > 0 && error.partial.text.length < 80);
    assert.equal(error.partial.usage.estimated, true);
  });

  it('aborts a slow response promptly, still counting the prompt sent', async () => {
    const { provider } = await serve({ replies: [{ text: 'late', delayMs: 3000 }] });
    const started = Date.now();
    const error = await failure(provider.complete(ask('slow'), { signal: AbortSignal.timeout(50) }));
    assert.equal(error.kind, 'cancelled');
    assert.ok(Date.now() - started < 1000);
    assert.equal(error.partial?.text, '');
  });

  it('maps an unmatched request to bad_request naming the prompt', async () => {
    const { provider } = await serve({ replies: [{ text: 'only for x', match: '^x$' }] });
    const error = await failure(provider.complete(ask('something else'), {}));
    assert.equal(error.kind, 'bad_request');
    assert.match(error.message, /no scripted reply matches/);
  });
});

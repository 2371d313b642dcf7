import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateTokens, estimateMessagesTokens } from '../../src/core/llm/estimate';
import { OpenAIProvider } from '../../src/core/llm/openai';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { assertStreamsExactly, failure, useProviderServers } from '../fixtures/servers';

const KEY = 'sk-test-0123456789abcdef';
const { serve, ask } = useProviderServers(startFakeOpenAI, (baseUrl) => new OpenAIProvider({ apiKey: KEY, baseUrl }), 'gpt-test');

describe('OpenAIProvider against the fake OpenAI server', () => {
  it('streams deltas in order and reports exactly the usage the server counted', async () => {
    const server = await assertStreamsExactly(serve, ask, 'Reflection: the baseline is weak. Action: List Files');
    const body = server.requests[0].body as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_tokens, 500, 'an OpenAI-compatible server gets max_tokens');
    assert.equal(body.max_completion_tokens, undefined);
    assert.equal(body.temperature, 0.2);
    assert.equal(server.requests[0].headers.authorization, `Bearer ${KEY}`);
  });

  it('reports cached tokens when a long prompt repeats its prefix', async () => {
    const { server, provider } = await serve({ replies: [{ text: 'first', repeat: 2 }] });
    const context = 'Research log entry. '.repeat(80);
    const first = await provider.complete(ask(`${context}Step 1`), {});
    const second = await provider.complete(ask(`${context}Step 2`), {});

    assert.equal(first.usage.cachedInput, 0);
    assert.ok(second.usage.cachedInput > 0.9 * second.usage.input, 'most of the prompt is a cached prefix');
    assert.deepEqual(second.usage, server.requests[1].usage);
    assert.equal(first.usage.input + second.usage.input, server.totals.input);
    assert.equal(second.usage.cachedInput, server.totals.cachedInput);
  });

  it('truncates at max tokens like the real API', async () => {
    const { provider } = await serve({ replies: [{ text: 'x'.repeat(100) }] });
    const result = await provider.complete(ask('long answer please', { maxOutputTokens: 5 }), {});
    assert.equal(result.text, 'x'.repeat(20));
    assert.equal(result.usage.output, 5);
  });

  it('estimates usage when a stream ends without reporting any', async () => {
    const { server, provider } = await serve({ replies: [{ text: 'no usage from this server', omitUsage: true }] });
    const request = ask('hello');
    const result = await provider.complete(request, {});
    assert.equal(result.text, 'no usage from this server');
    assert.equal(result.usage.estimated, true);
    assert.equal(result.usage.input, estimateMessagesTokens(request.messages));
    assert.equal(result.usage.output, estimateTokens(result.text));
    assert.deepEqual(server.totals, { input: 0, cachedInput: 0, output: 0 });
  });

  it('maps a rejected key to auth and never repeats the key', async () => {
    const { provider } = await serve({ replies: [] }, 'sk-the-right-key-000000');
    const error = await failure(provider.complete(ask('hi'), {}));
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
    assert.equal(error.partial, undefined);
    assert.ok(!error.message.includes(KEY), error.message);
    assert.ok(!error.message.includes('0123456789abcdef'), error.message);
    assert.match(error.message, /Incorrect API key/);
  });

  it('maps 429 to rate_limit with the retry-after of either header', async () => {
    const { provider } = await serve({
      replies: [
        { status: 429, headers: { 'retry-after': '2' } },
        { status: 429, headers: { 'retry-after-ms': '150', 'retry-after': '9' } },
        { status: 429, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } },
      ],
    });
    const seconds = await failure(provider.complete(ask('a'), {}));
    assert.equal(seconds.kind, 'rate_limit');
    assert.equal(seconds.retryAfterMs, 2000);
    assert.equal(seconds.retryable, true);
    assert.equal((await failure(provider.complete(ask('b'), {}))).retryAfterMs, 150);
    const date = (await failure(provider.complete(ask('c'), {}))).retryAfterMs ?? 0;
    assert.ok(date > 55_000 && date <= 60_000, `retry-after as a date: ${date}`);
  });

  it('maps 5xx to server and other 4xx (an unmatched request) to bad_request', async () => {
    const { provider } = await serve({ replies: [{ status: 503 }] });
    const server = await failure(provider.complete(ask('first'), {}));
    assert.equal(server.kind, 'server');
    assert.equal(server.status, 503);
    const unmatched = await failure(provider.complete(ask('nothing scripted for this'), {}));
    assert.equal(unmatched.kind, 'bad_request');
    assert.match(unmatched.message, /no scripted reply matches.*nothing scripted for this/);
  });

  it('reports a stream dropped mid-way as network, with the partial text and estimated usage', async () => {
    const text = 'Thought: inspect train.py first. Action: Inspect Script Lines';
    const { server, provider } = await serve({ replies: [{ text, dropAfterChars: 20 }] });
    const request = ask('go');
    const deltas: string[] = [];
    const error = await failure(provider.complete(request, { onDelta: (piece) => deltas.push(piece) }));

    assert.equal(error.kind, 'network');
    assert.equal(error.partial?.text, text.slice(0, 20));
    assert.equal(deltas.join(''), text.slice(0, 20));
    assert.deepEqual(error.partial?.usage, {
      input: estimateMessagesTokens(request.messages),
      cachedInput: 0,
      output: estimateTokens(text.slice(0, 20)),
      estimated: true,
    });
    assert.equal(server.requests[0].usage, undefined, 'the server reported nothing');
  });

  it('cancels mid-stream with the partial text', async () => {
    const { provider } = await serve({ replies: [{ text: 'a'.repeat(80), chunkDelayMs: 30 }] });
    const controller = new AbortController();
    const onDelta = () => controller.abort();
    const error = await failure(provider.complete(ask('go'), { signal: controller.signal, onDelta }));

    assert.equal(error.kind, 'cancelled');
    assert.equal(error.retryable, false);
    assert.ok(error.partial && error.partial.text.length > 0 && error.partial.text.length < 80);
    assert.equal(error.partial.usage.estimated, true);
  });

  it('aborts a slow response promptly, still counting the prompt sent', async () => {
    const { provider } = await serve({ replies: [{ text: 'late', delayMs: 3000 }] });
    const request = ask('slow');
    const started = Date.now();
    const error = await failure(provider.complete(request, { signal: AbortSignal.timeout(50) }));

    assert.equal(error.kind, 'cancelled');
    assert.ok(Date.now() - started < 1000);
    assert.equal(error.partial?.text, '');
    assert.equal(error.partial?.usage.input, estimateMessagesTokens(request.messages));
  });

  it('does not send anything when already cancelled', async () => {
    const { server, provider } = await serve({ replies: [{ text: 'unused' }] });
    const error = await failure(provider.complete(ask('x'), { signal: AbortSignal.abort() }));
    assert.equal(error.kind, 'cancelled');
    assert.equal(error.partial, undefined);
    assert.equal(server.requests.length, 0);
  });

  it('maps a refused connection to network without partial', async () => {
    const { server, provider } = await serve({ replies: [] });
    await server.close();
    const error = await failure(provider.complete(ask('x'), {}));
    assert.equal(error.kind, 'network');
    assert.equal(error.partial, undefined);
  });

  it('lets an exception from onDelta through unchanged', async () => {
    const { provider } = await serve({ replies: [{ text: 'some text' }] });
    const mine = new Error('view closed');
    const onDelta = () => {
      throw mine;
    };
    await assert.rejects(provider.complete(ask('x'), { onDelta }), (error) => error === mine);
  });

  it('requires a key for OpenAI itself, but not for a local server', async () => {
    const error = await failure(new OpenAIProvider({ apiKey: '' }).complete(ask('x'), {}));
    assert.equal(error.kind, 'auth');
    const { server } = await serve({ replies: [{ text: 'ok' }] });
    const local = new OpenAIProvider({ apiKey: '', baseUrl: server.url });
    assert.equal((await local.complete(ask('x'), {})).text, 'ok');
  });
});

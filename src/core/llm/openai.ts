import { APIConnectionError, APIError, APIUserAbortError, OpenAI } from 'openai';
import { estimateUsage } from './estimate';
import { kindForStatus, retryAfterMsFromHeaders, throwIfCancelled } from './retry';
import {
  ProviderError,
  type ChatProvider,
  type ChatRequest,
  type ChatResult,
  type CompleteOptions,
  type Usage,
} from './types';

/**
 * OpenAI chat completions, and any server that speaks the same API (Ollama, vLLM, LM Studio)
 * when a base URL is given. Always streams, asking for the usage chunk at the end.
 */

const OPENAI_URL = 'https://api.openai.com/v1';

export interface OpenAIProviderOptions {
  apiKey: string;
  /** an OpenAI-compatible server; unset: OpenAI itself */
  baseUrl?: string;
}

type CreateStreamBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

/** What a stream delivered so far: kept outside the try so a failure can still report it. */
interface StreamProgress {
  text: string;
  usage?: Usage;
  /** response headers arrived: a later failure broke the stream mid-way */
  responded: boolean;
}

export class OpenAIProvider implements ChatProvider {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;
  private readonly apiKey: string;
  private readonly isOpenAIItself: boolean;

  constructor(options: OpenAIProviderOptions) {
    this.apiKey = options.apiKey;
    this.isOpenAIItself = !options.baseUrl || new URL(options.baseUrl).hostname === 'api.openai.com';
    this.client = new OpenAI({
      // local servers ignore the key, but the SDK refuses to start without one
      apiKey: options.apiKey || 'no-key',
      // explicit, so OPENAI_BASE_URL in the environment cannot redirect requests unnoticed
      baseURL: options.baseUrl ?? OPENAI_URL,
      maxRetries: 0,
    });
  }

  async complete(request: ChatRequest, options: CompleteOptions = {}): Promise<ChatResult> {
    throwIfCancelled(options.signal);
    if (!this.apiKey && this.isOpenAIItself) {
      throw new ProviderError('openai: no API key is set', 'auth');
    }
    const started = Date.now();
    const progress: StreamProgress = { text: '', responded: false };
    try {
      const stream = await this.client.chat.completions.create(this.body(request), { signal: options.signal });
      progress.responded = true;
      for await (const chunk of stream) readChunk(chunk, progress, options.onDelta);
      // the SDK ends the iteration quietly when the signal aborts mid-stream
      if (options.signal?.aborted) throw this.cancelled(request, progress);
      const usage = progress.usage ?? estimateUsage(request.messages, progress.text, request.maxOutputTokens);
      return { text: progress.text, usage, latencyMs: Date.now() - started };
    } catch (error) {
      if (error instanceof DeltaCallbackError) throw error.cause;
      throw this.toProviderError(error, request, progress, options.signal);
    }
  }

  private body(request: ChatRequest): CreateStreamBody {
    const limit = this.isOpenAIItself
      ? { max_completion_tokens: request.maxOutputTokens }
      : { max_tokens: request.maxOutputTokens };
    const temperature = this.acceptsTemperature(request.model) ? { temperature: request.temperature } : {};
    return {
      model: request.model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      stream: true,
      stream_options: { include_usage: true },
      ...temperature,
      ...limit,
    };
  }

  /** OpenAI's reasoning models (o-series, gpt-5) reject any temperature but the default. */
  private acceptsTemperature(model: string): boolean {
    return !(this.isOpenAIItself && /^(o\d|gpt-5(?!.*-chat))/.test(model));
  }

  private toProviderError(
    error: unknown,
    request: ChatRequest,
    progress: StreamProgress,
    signal: AbortSignal | undefined,
  ): ProviderError {
    if (error instanceof ProviderError) return error;
    if (signal?.aborted || error instanceof APIUserAbortError || isAbortError(error)) {
      return this.cancelled(request, progress);
    }
    const prefix = `openai ${request.model}`;
    if (error instanceof APIError && error.status !== undefined) {
      const kind = error.code === 'insufficient_quota' ? 'auth' : kindForStatus(error.status);
      // honoured for every retryable status: 503s and 500s may carry one too
      const retryAfterMs = kind === 'rate_limit' || kind === 'server' ? retryAfterMsFromHeaders((name) => error.headers?.get(name)) : undefined;
      return new ProviderError(`${prefix}: ${this.redact(error.message)}`, kind, error.status, retryAfterMs);
    }
    const partial = progress.responded ? partialResult(request, progress) : undefined;
    if (error instanceof APIError && !(error instanceof APIConnectionError) && progress.responded) {
      // an error event inside the stream
      return new ProviderError(`${prefix}: error in stream: ${this.redact(error.message)}`, 'server', undefined, undefined, partial);
    }
    // connection failures, a stream that broke mid-way, unreadable chunks
    const where = progress.responded ? 'the stream broke' : 'connection failed';
    return new ProviderError(`${prefix}: ${where}: ${this.redact(describe(error))}`, 'network', undefined, undefined, partial);
  }

  /** Cancelled after the request was sent: the prompt may be billed, so report it. */
  private cancelled(request: ChatRequest, progress: StreamProgress): ProviderError {
    const partial = partialResult(request, progress);
    return new ProviderError(`openai ${request.model}: the request was cancelled`, 'cancelled', undefined, undefined, partial);
  }

  /** Error texts may quote the key (OpenAI's 401 does, partly masked): never pass it on. */
  private redact(text: string): string {
    const withoutKey = this.apiKey.length >= 4 ? text.split(this.apiKey).join('***') : text;
    return withoutKey.replace(/\bsk-[A-Za-z0-9_*-]{4,}/g, 'sk-***');
  }
}

function readChunk(chunk: Chunk, progress: StreamProgress, onDelta: CompleteOptions['onDelta']): void {
  const piece = chunk.choices[0]?.delta?.content;
  if (piece) {
    progress.text += piece;
    try {
      onDelta?.(piece);
    } catch (error) {
      throw new DeltaCallbackError(error);
    }
  }
  if (chunk.usage) {
    progress.usage = {
      input: chunk.usage.prompt_tokens,
      cachedInput: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
      output: chunk.usage.completion_tokens,
    };
  }
}

/** What was delivered before a failure; usage is estimated unless the usage chunk had already come. */
function partialResult(request: ChatRequest, progress: StreamProgress): { text: string; usage: Usage } {
  return { text: progress.text, usage: progress.usage ?? estimateUsage(request.messages, progress.text, request.maxOutputTokens) };
}

/** Carries an exception thrown by the caller's onDelta past the error mapping, unchanged. */
class DeltaCallbackError extends Error {
  constructor(override readonly cause: unknown) {
    super('onDelta failed');
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The error's message with its causes, e.g. "Connection error. (fetch failed; connect ECONNREFUSED …)". */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && parts.length < 3) {
    parts.push(current.message);
    current = current.cause;
  }
  if (parts.length === 0) return String(error);
  return parts.length === 1 ? parts[0] : `${parts[0]} (${parts.slice(1).join('; ')})`;
}

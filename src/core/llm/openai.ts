import { APIConnectionError, APIError, APIUserAbortError, OpenAI } from 'openai';
import { redactKey, streamCompletion, type ChunkContent, type PartialResult } from './providerSupport';
import { kindForStatus, retryAfterMsFromHeaders } from './retry';
import { ProviderError, type ChatProvider, type ChatRequest, type ChatResult, type CompleteOptions } from './types';

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
    return streamCompletion(
      {
        provider: this.name,
        missingKey: !this.apiKey && this.isOpenAIItself,
        // resolves once the response headers have arrived
        open: (signal) => this.client.chat.completions.create(this.body(request), { signal }),
        read: readChunk,
        knownError: (error, prefix, partial) => this.apiError(error, prefix, partial),
        isCancellation: (error) => error instanceof APIUserAbortError,
        redact: (text) => this.redact(text),
      },
      request,
      options,
    );
  }

  private body(request: ChatRequest): CreateStreamBody {
    const limit = this.isOpenAIItself ? { max_completion_tokens: request.maxOutputTokens } : { max_tokens: request.maxOutputTokens };
    const temperature = this.acceptsTemperature(request.model) ? { temperature: request.temperature } : {};
    return {
      model: request.model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      stream: true,
      stream_options: { include_usage: true },
      ...temperature,
      ...limit,
      ...responseFormat(request),
      // one cache per run: its requests share the prompt's long static prefix
      ...(request.cacheKey ? { prompt_cache_key: request.cacheKey } : {}),
    };
  }

  /** OpenAI's reasoning models (o-series, gpt-5) reject any temperature but the default. */
  private acceptsTemperature(model: string): boolean {
    return !(this.isOpenAIItself && /^(o\d|gpt-5(?!.*-chat))/.test(model));
  }

  /** An HTTP error, or an error event inside the stream (`partial` is set once the response had started). */
  private apiError(error: unknown, prefix: string, partial: PartialResult | undefined): ProviderError | undefined {
    if (!(error instanceof APIError)) return undefined;
    if (error.status !== undefined) {
      const kind = error.code === 'insufficient_quota' ? 'auth' : kindForStatus(error.status);
      // honoured for every retryable status: 503s and 500s may carry one too
      const retryAfterMs =
        kind === 'rate_limit' || kind === 'server' ? retryAfterMsFromHeaders((name) => error.headers?.get(name)) : undefined;
      return new ProviderError(`${prefix}: ${this.redact(error.message)}`, kind, error.status, retryAfterMs);
    }
    if (!(error instanceof APIConnectionError) && partial) {
      // an error event inside the stream
      return new ProviderError(`${prefix}: error in stream: ${this.redact(error.message)}`, 'server', undefined, undefined, partial);
    }
    return undefined;
  }

  /** Error texts may quote the key (OpenAI's 401 does, partly masked): never pass it on. */
  private redact(text: string): string {
    return redactKey(text, this.apiKey, /\bsk-[A-Za-z0-9_*-]{4,}/g, 'sk-***');
  }
}

/** Strict structured outputs: the reply is one JSON object that fits the schema. */
function responseFormat(request: ChatRequest): Pick<CreateStreamBody, 'response_format'> {
  if (!request.responseSchema) return {};
  const { name, schema } = request.responseSchema;
  return { response_format: { type: 'json_schema', json_schema: { name, strict: true, schema: { ...schema } } } };
}

function readChunk(chunk: Chunk): ChunkContent {
  const piece = chunk.choices[0]?.delta?.content;
  if (!chunk.usage) return { piece };
  const usage = {
    input: chunk.usage.prompt_tokens,
    cachedInput: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
    output: chunk.usage.completion_tokens,
  };
  return { piece, usage };
}

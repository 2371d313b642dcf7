import type * as Genai from '@google/genai' with { 'resolution-mode': 'import' };
import type {
  Content,
  GenerateContentConfig,
  GenerateContentResponse,
  GoogleGenAI,
} from '@google/genai' with { 'resolution-mode': 'import' };
import { estimateUsage } from './estimate';
import { kindForStatus, throwIfCancelled } from './retry';
import {
  ProviderError,
  type ChatMessage,
  type ChatProvider,
  type ChatRequest,
  type ChatResult,
  type CompleteOptions,
  type Usage,
} from './types';

/**
 * Gemini through @google/genai, always streaming. The SDK retries nothing unless
 * `httpOptions.retryOptions` is set (it is not); its automatic continuation of long streams
 * is switched off so that one call is one request.
 */

const GEMINI_URL = 'https://generativelanguage.googleapis.com/';

// The package declares ESM types only, yet ships a CommonJS build, which is what loads here.
const genai = require('@google/genai') as typeof Genai;

export interface GeminiProviderOptions {
  apiKey: string;
  /** a Gemini-compatible endpoint or proxy; unset: Google's */
  baseUrl?: string;
}

/** What a stream delivered so far: kept outside the try so a failure can still report it. */
interface StreamProgress {
  text: string;
  usage?: Usage;
  /** the response started: a later failure broke the stream mid-way */
  responded: boolean;
}

/** The parts of Google's error JSON (`{error:{code,message,status,details}}`) that matter here. */
interface GoogleErrorBody {
  message?: string;
  status?: string;
  reason?: string;
  retryDelayMs?: number;
}

export class GeminiProvider implements ChatProvider {
  readonly name = 'gemini' as const;
  private readonly client: GoogleGenAI;
  private readonly apiKey: string;
  private readonly hasBaseUrl: boolean;

  constructor(options: GeminiProviderOptions) {
    this.apiKey = options.apiKey;
    this.hasBaseUrl = Boolean(options.baseUrl);
    this.client = new genai.GoogleGenAI({
      apiKey: options.apiKey || 'no-key',
      // explicit, so neither Vertex AI nor GOOGLE_GEMINI_BASE_URL can be picked up from the environment
      vertexai: false,
      httpOptions: { baseUrl: options.baseUrl ?? GEMINI_URL },
    });
  }

  async complete(request: ChatRequest, options: CompleteOptions = {}): Promise<ChatResult> {
    throwIfCancelled(options.signal);
    if (!this.apiKey && !this.hasBaseUrl) throw new ProviderError('gemini: no API key is set', 'auth');
    const started = Date.now();
    const progress: StreamProgress = { text: '', responded: false };
    try {
      const stream = await this.client.models.generateContentStream({
        model: request.model,
        contents: toContents(request.messages),
        config: toConfig(request, options.signal),
      });
      progress.responded = true;
      for await (const chunk of stream) readChunk(chunk, progress, options.onDelta);
      if (options.signal?.aborted) throw this.cancelled(request, progress);
      const usage = progress.usage ?? estimateUsage(request.messages, progress.text, request.maxOutputTokens);
      return { text: progress.text, usage, latencyMs: Date.now() - started };
    } catch (error) {
      if (error instanceof DeltaCallbackError) throw error.cause;
      throw this.toProviderError(error, request, progress, options.signal);
    }
  }

  private toProviderError(
    error: unknown,
    request: ChatRequest,
    progress: StreamProgress,
    signal: AbortSignal | undefined,
  ): ProviderError {
    if (error instanceof ProviderError) return error;
    if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
      return this.cancelled(request, progress);
    }
    const prefix = `gemini ${request.model}`;
    const partial = progress.responded ? partialResult(request, progress) : undefined;
    const status = httpStatusOf(error);
    if (status !== undefined) {
      // an HTTP error, or an error event inside the stream (then `partial` is set)
      const body = parseGoogleError((error as Error).message);
      // Google answers a wrong key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID
      const kind = body.reason === 'API_KEY_INVALID' ? 'auth' : kindForStatus(status);
      const detail = [status, body.status, body.message ?? (error as Error).message].filter(Boolean).join(' ');
      const retryAfterMs = kind === 'rate_limit' || kind === 'server' ? body.retryDelayMs : undefined;
      return new ProviderError(`${prefix}: ${this.redact(detail)}`, kind, status, retryAfterMs, partial);
    }
    // connection failures, a stream that broke mid-way, unreadable chunks
    const where = progress.responded ? 'the stream broke' : 'connection failed';
    return new ProviderError(`${prefix}: ${where}: ${this.redact(describe(error))}`, 'network', undefined, undefined, partial);
  }

  /** Cancelled after the request was sent: the prompt may be billed, so report it. */
  private cancelled(request: ChatRequest, progress: StreamProgress): ProviderError {
    const partial = partialResult(request, progress);
    return new ProviderError(`gemini ${request.model}: the request was cancelled`, 'cancelled', undefined, undefined, partial);
  }

  private redact(text: string): string {
    const withoutKey = this.apiKey.length >= 4 ? text.split(this.apiKey).join('***') : text;
    return withoutKey.replace(/AIza[0-9A-Za-z_-]{10,}/g, 'AIza***');
  }
}

function toContents(messages: ChatMessage[]): Content[] {
  return messages
    .filter((message) => message.role !== 'system')
    .map((message) => ({ role: message.role === 'assistant' ? 'model' : 'user', parts: [{ text: message.content }] }));
}

function toConfig(request: ChatRequest, signal: AbortSignal | undefined): GenerateContentConfig {
  const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content);
  return {
    ...(system.length > 0 ? { systemInstruction: system.join('\n\n') } : {}),
    temperature: request.temperature,
    maxOutputTokens: request.maxOutputTokens,
    abortSignal: signal,
    automaticContinuation: false,
  };
}

function readChunk(chunk: GenerateContentResponse, progress: StreamProgress, onDelta: CompleteOptions['onDelta']): void {
  const parts = chunk.candidates?.[0]?.content?.parts ?? [];
  // thought summaries are not part of the answer
  const piece = parts.map((part) => (part.thought ? '' : (part.text ?? ''))).join('');
  if (piece) {
    progress.text += piece;
    try {
      onDelta?.(piece);
    } catch (error) {
      throw new DeltaCallbackError(error);
    }
  }
  const metadata = chunk.usageMetadata;
  if (metadata?.promptTokenCount !== undefined) {
    progress.usage = {
      // tool-use prompts are billed as input too (none are sent today)
      input: metadata.promptTokenCount + (metadata.toolUsePromptTokenCount ?? 0),
      cachedInput: metadata.cachedContentTokenCount ?? 0,
      // thinking is billed as output
      output: (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0),
    };
  }
}

/** What was delivered before a failure; usage is estimated unless the final chunk had already come. */
function partialResult(request: ChatRequest, progress: StreamProgress): { text: string; usage: Usage } {
  return { text: progress.text, usage: progress.usage ?? estimateUsage(request.messages, progress.text, request.maxOutputTokens) };
}

/** The SDK's ApiError carries the HTTP status as `.status` and the response body as its message. */
function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'ApiError') return undefined;
  const status = (error as Error & { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/** Reads Google's error JSON out of an ApiError message (in a stream it follows "got status: …. "). */
function parseGoogleError(message: string): GoogleErrorBody {
  const start = message.indexOf('{');
  if (start < 0) return {};
  try {
    const error = (JSON.parse(message.slice(start)) as { error?: Record<string, unknown> }).error ?? {};
    const details = Array.isArray(error.details) ? (error.details as Record<string, unknown>[]) : [];
    const reason = details.find((detail) => typeof detail.reason === 'string')?.reason as string | undefined;
    const retryDelay = details.find((detail) => typeof detail.retryDelay === 'string')?.retryDelay as string | undefined;
    return {
      message: typeof error.message === 'string' ? error.message : undefined,
      status: typeof error.status === 'string' ? error.status : undefined,
      reason,
      retryDelayMs: parseDuration(retryDelay),
    };
  } catch {
    return {};
  }
}

/** A protobuf Duration as JSON, e.g. "23s" or "0.5s" (RetryInfo.retryDelay). */
function parseDuration(text: string | undefined): number | undefined {
  const match = text ? /^(\d+(?:\.\d+)?)s$/.exec(text.trim()) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Carries an exception thrown by the caller's onDelta past the error mapping, unchanged. */
class DeltaCallbackError extends Error {
  constructor(override readonly cause: unknown) {
    super('onDelta failed');
  }
}

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

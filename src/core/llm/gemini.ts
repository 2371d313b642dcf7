import type * as Genai from '@google/genai' with { 'resolution-mode': 'import' };
import type { Content, GenerateContentConfig, GenerateContentResponse, GoogleGenAI, Schema } from '@google/genai' with {
  'resolution-mode': 'import',
};
import { redactKey, streamCompletion, type ChunkContent, type PartialResult } from './providerSupport';
import { kindForStatus } from './retry';
import {
  ProviderError,
  type ChatMessage,
  type ChatProvider,
  type ChatRequest,
  type ChatResult,
  type CompleteOptions,
  type JsonSchema,
} from './types';

/**
 * Gemini through @google/genai, always streaming. The SDK retries nothing unless
 * `httpOptions.retryOptions` is set (it is not); its automatic continuation of long streams
 * is switched off so that one call is one request.
 */

const GEMINI_URL = 'https://generativelanguage.googleapis.com/';

// The package declares ESM types only, yet ships a CommonJS build, which is what loads here.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
const genai = require('@google/genai') as typeof Genai;

export interface GeminiProviderOptions {
  apiKey: string;
  /** a Gemini-compatible endpoint or proxy; unset: Google's */
  baseUrl?: string;
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

  constructor(private readonly config: GeminiProviderOptions) {
    this.client = new genai.GoogleGenAI({
      apiKey: config.apiKey || 'no-key',
      // explicit, so neither Vertex AI nor GOOGLE_GEMINI_BASE_URL can be picked up from the environment
      vertexai: false,
      httpOptions: { baseUrl: config.baseUrl ?? GEMINI_URL },
    });
  }

  async complete(request: ChatRequest, options: CompleteOptions = {}): Promise<ChatResult> {
    return streamCompletion(
      {
        provider: this.name,
        missingKey: !this.config.apiKey && !this.config.baseUrl,
        open: (signal) =>
          this.client.models.generateContentStream({
            model: request.model,
            contents: toContents(request.messages),
            config: toConfig(request, signal),
          }),
        read: readChunk,
        knownError: (error, prefix, partial) => this.httpError(error, prefix, partial),
        redact: (text) => this.redact(text),
      },
      request,
      options,
    );
  }

  /** An HTTP error, or an error event inside the stream (then `partial` is set). */
  private httpError(error: unknown, prefix: string, partial: PartialResult | undefined): ProviderError | undefined {
    const status = httpStatusOf(error);
    if (status === undefined) return undefined;
    const body = parseGoogleError((error as Error).message);
    // Google answers a wrong key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID
    const kind = body.reason === 'API_KEY_INVALID' ? 'auth' : kindForStatus(status);
    const detail = [status, body.status, body.message ?? (error as Error).message].filter(Boolean).join(' ');
    const retryAfterMs = kind === 'rate_limit' || kind === 'server' ? body.retryDelayMs : undefined;
    return new ProviderError(`${prefix}: ${this.redact(detail)}`, kind, status, retryAfterMs, partial);
  }

  private redact(text: string): string {
    return redactKey(text, this.config.apiKey, /AIza[0-9A-Za-z_-]{10,}/g, 'AIza***');
  }
}

function toContents(messages: ChatMessage[]): Content[] {
  return messages
    .filter((message) => message.role !== 'system')
    .map((message) => ({ role: message.role === 'assistant' ? 'model' : 'user', parts: [{ text: message.content }] }));
}

function toConfig(request: ChatRequest, signal: AbortSignal): GenerateContentConfig {
  const system = request.messages.filter((message) => message.role === 'system').map((message) => message.content);
  return {
    ...(system.length > 0 ? { systemInstruction: system.join('\n\n') } : {}),
    temperature: request.temperature,
    maxOutputTokens: request.maxOutputTokens,
    abortSignal: signal,
    automaticContinuation: false,
    ...(request.responseSchema
      ? { responseMimeType: 'application/json', responseSchema: toGeminiSchema(request.responseSchema.schema) }
      : {}),
  };
}

/**
 * Gemini's Schema (an OpenAPI subset): upper-case types, string enums marked as such, and the
 * properties' order kept, so that the model writes the entries in the order they are listed.
 * Gemini has no additionalProperties: only the listed properties are generated anyway.
 */
function toGeminiSchema(schema: JsonSchema): Schema {
  if (schema.type === 'string') {
    return {
      type: genai.Type.STRING,
      ...(schema.description ? { description: schema.description } : {}),
      ...(schema.enum ? { format: 'enum', enum: schema.enum } : {}),
    };
  }
  const properties = schema.properties ?? {};
  return {
    type: genai.Type.OBJECT,
    ...(schema.description ? { description: schema.description } : {}),
    properties: Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, toGeminiSchema(value)])),
    required: schema.required ?? Object.keys(properties),
    propertyOrdering: Object.keys(properties),
  };
}

function readChunk(chunk: GenerateContentResponse): ChunkContent {
  const parts = chunk.candidates?.[0]?.content?.parts ?? [];
  // thought summaries are not part of the answer
  const piece = parts.map((part) => (part.thought ? '' : (part.text ?? ''))).join('');
  const metadata = chunk.usageMetadata;
  if (metadata?.promptTokenCount === undefined) return { piece };
  const usage = {
    // tool-use prompts are billed as input too (none are sent today)
    input: metadata.promptTokenCount + (metadata.toolUsePromptTokenCount ?? 0),
    cachedInput: metadata.cachedContentTokenCount ?? 0,
    // thinking is billed as output
    output: (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0),
  };
  return { piece, usage };
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

/** What every model provider speaks: one chat request in, text and exact usage out. */

export type Role = 'planner' | 'worker' | 'expert';
import { MODEL_ID, type ProviderName } from '../../shared/models';
export type { ProviderName };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A model named `provider:model`, e.g. `openai:gpt-4.1-mini` or `gemini:gemini-2.5-flash`. */
export interface ModelRef {
  provider: ProviderName;
  model: string;
  id: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxOutputTokens: number;
  temperature: number;
  /** the reply must be one JSON object of this schema (OpenAI json_schema, Gemini responseSchema) */
  responseSchema?: ResponseSchema;
  /** the same for every request of a run, so the provider routes them to the same prompt cache */
  cacheKey?: string;
}

/**
 * A JSON Schema, the part of it that both OpenAI's strict structured outputs and Gemini's
 * responseSchema understand: objects of strings, every property required.
 */
export interface JsonSchema {
  type: 'object' | 'string';
  description?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
}

export interface ResponseSchema {
  /** OpenAI's json_schema.name: letters, digits, _ and - */
  name: string;
  schema: JsonSchema;
}

/** Token counts as the provider reports them. `input` includes `cachedInput`; `output` includes thinking. */
export interface Usage {
  input: number;
  cachedInput: number;
  output: number;
  /** true when the provider reported nothing (a cancelled or dropped stream) and the counts are our estimate */
  estimated?: boolean;
}

export interface ChatResult {
  text: string;
  usage: Usage;
  latencyMs: number;
  /** the server sent far more than the request allowed: the reply was cut and its stream cancelled */
  overran?: boolean;
}

export interface CompleteOptions {
  signal?: AbortSignal;
  /** called with each streamed piece of text */
  onDelta?: (text: string) => void;
  /** cancel the request (as a retryable 'network' failure) when no chunk arrived for this long */
  idleTimeoutMs?: number;
}

export interface ChatProvider {
  readonly name: ProviderName;
  complete(request: ChatRequest, options: CompleteOptions): Promise<ChatResult>;
}

export type ProviderErrorKind = 'auth' | 'rate_limit' | 'server' | 'network' | 'bad_request' | 'cancelled';

/**
 * A failed request. `partial` carries what a stream delivered before it broke or was cancelled,
 * so the tokens it cost are still counted.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly partial?: { text: string; usage: Usage },
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limit' || this.kind === 'server' || this.kind === 'network';
  }
}

export function parseModelRef(id: string): ModelRef {
  const match = MODEL_ID.exec(id.trim());
  if (!match) throw new Error(`model "${id}" must be named provider:model with provider openai or gemini`);
  return { provider: match[1] as ProviderName, model: match[2], id: `${match[1]}:${match[2]}` };
}

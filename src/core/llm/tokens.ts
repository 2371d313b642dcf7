import { estimateMessagesTokens, estimateTokens } from './estimate';
import type { ChatMessage, ModelRef } from './types';

/**
 * Prompt tokens as the budget counts them. OpenAI-family models are counted with their own BPE
 * tokenizer (gpt-tokenizer), the rest with the pessimistic per-script estimate (estimate.ts).
 * Either way the count is an upper bound of what the provider bills: the chat format's per-message
 * overhead is added on top of the text's tokens.
 */

export type EncodingName = 'o200k_base' | 'cl100k_base';

/**
 * OpenAI's chat format: `<|im_start|>`, the role, a separator and `<|im_end|>` around every
 * message (3 in OpenAI's own accounting, one more kept as margin), then 3 tokens priming the reply.
 */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PRIMING_REPLY = 3;

/** gpt-4 (not gpt-4o or gpt-4.x), gpt-3.5 and the older embeddings use cl100k_base. */
const CL100K_MODELS = /^(?:gpt-4(?![o.])|gpt-3\.?5|text-embedding-(?:3|ada))/;

/** OpenAI's own model names (a fine-tuned one starts with `ft:` and its base model's name). */
const OPENAI_MODELS = /^(?:ft:)?(?:gpt-|chatgpt-|o\d)/;

/**
 * Another tokenizer (Llama, Qwen, Mistral … behind an OpenAI-compatible server) may need more tokens
 * than o200k for the same text: their counts stay within this factor of o200k's on code and prose.
 */
const OTHER_TOKENIZER_MARGIN = 1.25;

/**
 * How a model's prompt is counted: `exact` with its own encoding (OpenAI's models: o200k_base for
 * gpt-4o, gpt-4.1, the o-series and gpt-5, cl100k_base for gpt-4 and gpt-3.5); `margin` for the
 * models of an OpenAI-compatible server (o200k with a margin, never below the estimate); undefined
 * for other providers (Gemini), which keep the pessimistic estimate.
 */
export function encodingFor(model: ModelRef): EncodingName | undefined {
  if (model.provider !== 'openai') return undefined;
  const name = model.model.toLowerCase().replace(/^ft:/, '');
  return CL100K_MODELS.test(name) ? 'cl100k_base' : 'o200k_base';
}

function isOpenAIModel(model: ModelRef): boolean {
  return model.provider === 'openai' && OPENAI_MODELS.test(model.model.toLowerCase());
}

type TextCounter = (text: string) => number;

const counters = new Map<EncodingName, TextCounter>();

/**
 * The encoding's counter, loaded on first use: its tables are megabytes, and a run that only asks
 * Gemini never needs them. Special-token strings in the text count as the plain text they are.
 */
function counterFor(encoding: EncodingName): TextCounter {
  let counter = counters.get(encoding);
  if (!counter) {
    const api = loadEncoding(encoding);
    const options = { disallowedSpecial: new Set<string>() };
    counter = (text) => api.countTokens(text, options);
    counters.set(encoding, counter);
  }
  return counter;
}

type EncodingApi = typeof import('gpt-tokenizer/encoding/o200k_base');

/** Static paths, so that the bundler takes exactly these two encodings and no other. */
function loadEncoding(encoding: EncodingName): EncodingApi {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see counterFor */
  if (encoding === 'cl100k_base') return require('gpt-tokenizer/encoding/cl100k_base') as EncodingApi;
  return require('gpt-tokenizer/encoding/o200k_base') as EncodingApi;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The last texts counted, by encoding: the system prompt and the early history repeat from step to step. */
const RECENT_LIMIT = 64;
const recent = new Map<string, number>();

function countText(encoding: EncodingName, text: string): number {
  const key = `${encoding}\u0000${text}`;
  const known = recent.get(key);
  if (known !== undefined) return known;
  const count = counterFor(encoding)(text);
  if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  recent.set(key, count);
  return count;
}

/** Tokens of one text as `model` reads it: the exact count when its tokenizer is known, else the estimate. */
export function textTokens(model: ModelRef, text: string): number {
  const encoding = encodingFor(model);
  if (!encoding) return estimateTokens(text);
  const exact = countText(encoding, text);
  return isOpenAIModel(model) ? exact : Math.max(Math.ceil(exact * OTHER_TOKENIZER_MARGIN), estimateTokens(text));
}

/**
 * Prompt tokens of a request to `model`, an upper bound of what the provider bills: each message's
 * tokens plus the chat format's overhead. `extra` is text sent besides the messages (a response
 * schema), counted with the pessimistic estimate because providers render it their own way.
 */
export function promptTokens(model: ModelRef, messages: readonly Pick<ChatMessage, 'content'>[], extra = ''): number {
  const encoding = encodingFor(model);
  const extraTokens = extra ? estimateTokens(extra) : 0;
  if (!encoding) return estimateMessagesTokens(messages) + extraTokens;
  const text = messages.reduce((sum, m) => sum + textTokens(model, m.content) + TOKENS_PER_MESSAGE, 0);
  return text + TOKENS_PRIMING_REPLY + extraTokens;
}

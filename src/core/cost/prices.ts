import type { Price } from '../config';
import type { Usage } from '../llm/types';

/**
 * Built-in list prices in USD per 1M tokens (standard tier, late 2025).
 * Gemini models with tiered prices are listed at their short-prompt tier (≤ 200k tokens,
 * ≤ 128k for 1.5). Users correct or extend this table with the `prices` setting.
 * Without `cachedInput`, cached tokens cost the same as other input tokens.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, Price>> = {
  // OpenAI
  'openai:gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'openai:gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'openai:gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'openai:gpt-5.1': { input: 1.25, cachedInput: 0.125, output: 10 },
  'openai:gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'openai:gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'openai:gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'openai:gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'openai:gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'openai:o3': { input: 2, cachedInput: 0.5, output: 8 },
  'openai:o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'openai:o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'openai:o1': { input: 15, cachedInput: 7.5, output: 60 },
  'openai:gpt-4-turbo': { input: 10, output: 30 },
  'openai:gpt-4-turbo-preview': { input: 10, output: 30 },
  'openai:gpt-4-1106-preview': { input: 10, output: 30 },
  'openai:gpt-4-0125-preview': { input: 10, output: 30 },
  'openai:gpt-4': { input: 30, output: 60 },
  'openai:gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  // Gemini
  'gemini:gemini-2.5-pro': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gemini:gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 },
  'gemini:gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.01, output: 0.4 },
  'gemini:gemini-2.0-flash': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gemini:gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
  'gemini:gemini-1.5-pro': { input: 1.25, cachedInput: 0.3125, output: 5 },
  'gemini:gemini-1.5-flash': { input: 0.075, cachedInput: 0.01875, output: 0.3 },
};

/**
 * Version suffixes that name a snapshot of a base model, stripped one at a time:
 * `gpt-4o-2024-08-06`, `gpt-4-0613`, `gemini-1.5-pro-002`, `gemini-2.5-flash-preview-05-20`,
 * `gemini-2.5-flash-preview-09-2025`, `gemini-1.5-flash-latest`.
 */
const SNAPSHOT_SUFFIXES = [
  /-\d{4}-\d{2}-\d{2}$/,
  /-preview-\d{2}-\d{2}(?:-\d{4})?$/,
  /-preview-\d{2}-\d{4}$/,
  /-\d{4}$/,
  /-\d{3}$/,
  /-(?:latest|preview)$/,
];

/** The id itself, then the names it falls back to once snapshot suffixes are removed. */
function candidateIds(modelId: string): string[] {
  const candidates = [modelId.trim().toLowerCase()];
  for (;;) {
    const last = candidates[candidates.length - 1];
    const shorter = SNAPSHOT_SUFFIXES.map((suffix) => last.replace(suffix, '')).find((id) => id !== last);
    if (!shorter || !shorter.includes(':') || shorter.endsWith(':')) return candidates;
    candidates.push(shorter);
  }
}

function lowerCaseKeys(prices: Record<string, Price>): Record<string, Price> {
  return Object.fromEntries(Object.entries(prices).map(([id, price]) => [id.trim().toLowerCase(), price]));
}

/**
 * The price of a `provider:model`: the user's overrides first, then the built-in table; a dated
 * snapshot falls back to its base model. Undefined when the model is unknown (its calls cost 0 and
 * the model is reported as unpriced).
 */
export function priceFor(modelId: string, overrides: Record<string, Price>): Price | undefined {
  const userPrices = lowerCaseKeys(overrides);
  for (const id of candidateIds(modelId)) {
    const price = userPrices[id] ?? BUILT_IN_PRICES[id];
    if (price) return { ...price, cachedInput: price.cachedInput ?? price.input };
  }
  return undefined;
}

/** A price per 1M tokens in pico-dollars per token, an integer for prices with up to 6 decimals. */
function picoPerToken(usdPerMillion: number): number {
  return Math.round(usdPerMillion * 1e6);
}

function tokenCount(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

/**
 * USD for one call: uncached input, cached input and output at their own prices.
 * Summed in integer pico-dollars so that the only rounding is the final division.
 */
export function callCost(price: Price | undefined, usage: Usage): number {
  if (!price) return 0;
  const input = tokenCount(usage.input);
  const cached = Math.min(tokenCount(usage.cachedInput), input);
  const output = tokenCount(usage.output);
  const pico =
    (input - cached) * picoPerToken(price.input) +
    cached * picoPerToken(price.cachedInput ?? price.input) +
    output * picoPerToken(price.output);
  return pico / 1e12;
}

/** The most a call can cost before it is sent: every prompt token uncached, every output token used. */
export function worstCaseCost(price: Price | undefined, promptTokens: number, maxOutputTokens: number): number {
  return callCost(price, { input: promptTokens, cachedInput: 0, output: maxOutputTokens });
}

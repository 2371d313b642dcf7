import type { Config } from '../core/config';
import { callCost, priceFor } from '../core/cost/prices';
import { ProviderPool, type ApiKeys } from '../core/llm/providers';
import { parseModelRef, type ProviderName } from '../core/llm/types';

/** What one tiny request to a provider showed. */
export type ProbeResult =
  | { provider: ProviderName; model: string; ok: true; latencyMs: number; usd: number; reply: string }
  | { provider: ProviderName; model: string; ok: false; error: string };

/** The cheapest configured model of each provider the settings use (planner and workers first). */
export function probeTargets(config: Config): { provider: ProviderName; model: string }[] {
  const ids = [...config.models.worker, ...config.models.planner, config.models.expert];
  const seen = new Map<ProviderName, string>();
  for (const id of ids) {
    const ref = parseModelRef(id);
    if (!seen.has(ref.provider)) seen.set(ref.provider, id);
  }
  return [...seen].map(([provider, model]) => ({ provider, model }));
}

/**
 * One tiny request (a few tokens) through the core's own provider classes: the model, how long it
 * took and what it cost, or the provider's error. Loaded with the agent core, never at activation.
 */
export async function probeProvider(config: Config, keys: ApiKeys, model: string, signal: AbortSignal): Promise<ProbeResult> {
  const ref = parseModelRef(model);
  try {
    const provider = await new ProviderPool(config, keys).get(ref.provider);
    const result = await provider.complete(
      { model: ref.model, messages: [{ role: 'user', content: 'Reply with the single word: ready' }], maxOutputTokens: 16, temperature: 0 },
      { signal },
    );
    const usd = callCost(priceFor(model, config.prices), result.usage);
    return { provider: ref.provider, model, ok: true, latencyMs: result.latencyMs, usd, reply: result.text.trim().slice(0, 40) };
  } catch (error) {
    return { provider: ref.provider, model, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

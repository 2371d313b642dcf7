/** Model providers, how a model is named, and where a provider's key is looked up: one rule for the core and every host. */

export const PROVIDERS = ['openai', 'gemini'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** `provider:model`, e.g. `openai:gpt-4.1-mini` or `gemini:gemini-2.5-flash`. */
export const MODEL_ID = new RegExp(`^(${PROVIDERS.join('|')}):(\\S+)$`);

export function isProvider(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}

/** An environment variable's name. A key pasted where a name belongs fails this, and is never echoed. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The key in the variable `name`; a name that is no variable's (a pasted key) is not looked up. */
export function keyFromEnv(name: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return ENV_NAME.test(name) ? env[name] || undefined : undefined;
}

import type { Config } from '../config';
import { API_KEY_ENV_PROBLEM, ConfigError } from '../config';
import { ENV_NAME, keyFromEnv } from '../../shared/models';
import type { Recording } from './replay';
import type { ChatProvider, ProviderName } from './types';

export interface ApiKeys {
  openai?: string;
  gemini?: string;
}

/** Builds providers on first use; the SDKs are loaded only then (they are slow to load). */
export class ProviderPool {
  private readonly providers = new Map<ProviderName, Promise<ChatProvider>>();

  constructor(
    private readonly config: Config,
    private readonly keys: ApiKeys,
    /** when set, every model answers from this recording and no API is called */
    private readonly replay?: Recording,
  ) {}

  get(name: ProviderName): Promise<ChatProvider> {
    let provider = this.providers.get(name);
    if (!provider) {
      provider = this.create(name);
      this.providers.set(name, provider);
    }
    return provider;
  }

  private async create(name: ProviderName): Promise<ChatProvider> {
    if (this.replay) {
      const { ReplayProvider } = await import('./replay');
      return new ReplayProvider(name, this.replay);
    }
    const { baseUrl } = this.config.providers[name];
    const apiKey = requireKey(name, this.config, this.keys);
    if (name === 'openai') {
      const { OpenAIProvider } = await import('./openai');
      return new OpenAIProvider({ apiKey, baseUrl });
    }
    const { GeminiProvider } = await import('./gemini');
    return new GeminiProvider({ apiKey, baseUrl });
  }
}

/**
 * The key for a provider. A local OpenAI-compatible server (a base URL is set) may need none;
 * the provider's own endpoint always does.
 */
export function requireKey(name: ProviderName, config: Config, keys: ApiKeys): string {
  const key = keys[name];
  if (key) return key;
  if (config.providers[name].baseUrl) return 'not-needed';
  const keyEnv = config.providers[name].apiKeyEnv;
  // a key pasted where the variable's name belongs is never echoed
  if (!ENV_NAME.test(keyEnv)) throw new ConfigError(`no API key for ${name}: providers.${name}.apiKeyEnv ${API_KEY_ENV_PROBLEM}`);
  throw new ConfigError(`no API key for ${name}: set the environment variable ${keyEnv} or providers.${name}.baseUrl for a local server`);
}

/** Keys from the environment, as named by the config. */
export function keysFromEnv(config: Config, env: NodeJS.ProcessEnv = process.env): ApiKeys {
  return { openai: keyFromEnv(config.providers.openai.apiKeyEnv, env), gemini: keyFromEnv(config.providers.gemini.apiKeyEnv, env) };
}

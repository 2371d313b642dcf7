import * as vscode from 'vscode';
import type { Config } from '../core/config';
import type { ApiKeys } from '../core/run';
import { providerLabel } from './prompts';

import { isProvider, keyFromEnv, PROVIDERS, type ProviderName as Provider } from '../shared/models';

/** API keys: SecretStorage first, then the environment variable the config names. Never settings. */
export class KeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  static secretName(provider: Provider): string {
    return `budgetml.apiKey.${provider}`;
  }

  async keys(config: Config): Promise<ApiKeys> {
    const keys: ApiKeys = {};
    for (const provider of PROVIDERS) {
      const key =
        (await this.secrets.get(KeyStore.secretName(provider))) ||
        keyFromEnv(config.providers[provider].apiKeyEnv, process.env) ||
        undefined;
      if (key) keys[provider] = key;
    }
    return keys;
  }

  /** Stores a key; an empty one removes the stored key. */
  async store(provider: Provider, key: string): Promise<void> {
    if (key.trim()) await this.secrets.store(KeyStore.secretName(provider), key.trim());
    else await this.secrets.delete(KeyStore.secretName(provider));
  }

  /** Quick pick of the provider, then a password box; an empty answer removes a stored key. */
  async setInteractively(preselect?: string): Promise<void> {
    const provider = isProvider(preselect) ? preselect : await this.pickProvider();
    if (!provider) return;
    const name = providerLabel(provider);
    const stored = await this.secrets.get(KeyStore.secretName(provider));
    const key = await vscode.window.showInputBox({
      title: `BudgetML: ${name} API key`,
      prompt: stored
        ? 'A key is stored. Enter a new one, or leave empty to remove it.'
        : `Stored in VS Code's secret storage, never in settings.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (/\s/.test(value.trim()) ? 'A key has no spaces in it.' : undefined),
    });
    if (key === undefined) return;
    if (key.trim()) {
      await this.store(provider, key);
      void vscode.window.showInformationMessage(`BudgetML: the ${name} key is stored.`);
    } else if (stored) {
      await this.secrets.delete(KeyStore.secretName(provider));
      void vscode.window.showInformationMessage(`BudgetML: the stored ${name} key is removed.`);
    }
  }

  private async pickProvider(): Promise<Provider | undefined> {
    const items = await Promise.all(
      PROVIDERS.map(async (provider) => ({
        label: providerLabel(provider),
        description: (await this.secrets.get(KeyStore.secretName(provider))) ? 'key stored' : 'no key stored',
        provider,
      })),
    );
    const picked = await vscode.window.showQuickPick(items, { title: 'BudgetML: Set API Key', placeHolder: 'Which provider?' });
    return picked?.provider;
  }
}

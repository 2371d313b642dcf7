import * as vscode from 'vscode';
import type { Config } from '../core/config';
import type { ApiKeys } from '../core/run';
import { providerLabel } from './prompts';

import { isProvider, keyFromEnv, PROVIDERS, type ProviderName as Provider } from '../shared/models';

export type KeySource = { from: 'stored' } | { from: 'env'; variable: string };

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

  /** Where a provider's key comes from: stored, or the environment variable `apiKeyEnv`; undefined: none. */
  async keySource(provider: Provider, apiKeyEnv: string): Promise<KeySource | undefined> {
    if (await this.secrets.get(KeyStore.secretName(provider))) return { from: 'stored' };
    return keyFromEnv(apiKeyEnv, process.env) ? { from: 'env', variable: apiKeyEnv } : undefined;
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
    const env = envVariable(provider);
    const fromEnv = !stored && keyFromEnv(env, process.env) !== undefined;
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('BudgetML: {0} API key', name),
      prompt: stored
        ? vscode.l10n.t('A key is stored. Enter a new one, or leave empty to remove it.')
        : fromEnv
          ? vscode.l10n.t('The key now comes from the environment variable {0}. A key entered here is used instead.', env)
          : vscode.l10n.t("Stored in VS Code's secret storage, never in settings."),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (/\s/.test(value.trim()) ? vscode.l10n.t('A key has no spaces in it.') : undefined),
    });
    if (key === undefined) return;
    if (key.trim()) {
      await this.store(provider, key);
      void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: the {0} key is stored.', name));
    } else if (stored) {
      await this.secrets.delete(KeyStore.secretName(provider));
      void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: the stored {0} key is removed.', name));
    }
  }

  private async pickProvider(): Promise<Provider | undefined> {
    const items = await Promise.all(
      PROVIDERS.map(async (provider) => ({
        label: providerLabel(provider),
        description: describeSource(await this.keySource(provider, envVariable(provider))),
        provider,
      })),
    );
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('BudgetML: Set API Key'),
      placeHolder: vscode.l10n.t('Which provider?'),
    });
    return picked?.provider;
  }
}

/** The environment variable the settings name for a provider's key. */
function envVariable(provider: Provider): string {
  return vscode.workspace.getConfiguration('budgetml').get<string>(`providers.${provider}.apiKeyEnv`) ?? '';
}

function describeSource(source: KeySource | undefined): string {
  if (!source) return vscode.l10n.t('no key');
  return source.from === 'stored'
    ? vscode.l10n.t('key stored in secret storage')
    : vscode.l10n.t('key from the environment variable {0}', source.variable);
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isProvider, MODEL_ID, PROVIDERS, type ProviderName } from '../../shared/models';
import { EMPTY_SETUP, type SetupView } from '../../shared/viewModels';
import { Disposable } from '../disposable';
import type { KeyStore } from '../secrets';
import { SECTION } from '../settings';

/** The task file a workspace describes its task in (src/core/task/loadTask.ts). */
export const TASK_FILE = 'budgetml.task.json';

export interface SetupWatcherDeps {
  keys: KeyStore;
  secrets: vscode.SecretStorage;
  /** the workspace is trusted (replaceable in tests through the host) */
  isTrusted: () => boolean;
}

/**
 * What the sidebar's empty state and Restricted Mode show: trust, the providers the configured
 * models need and which of them are ready, the models, whether the task file exists. Kept current
 * as trust is granted, keys are stored, settings change and the task file comes or goes.
 */
export class SetupWatcher extends Disposable {
  private view: SetupView = EMPTY_SETUP;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<SetupView>());
  readonly onDidChange = this._onDidChange.event;
  private generation = 0;

  constructor(private readonly deps: SetupWatcherDeps) {
    super();
    const refresh = () => void this.refresh();
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(refresh));
    this._register(deps.secrets.onDidChange(refresh));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SECTION) && refresh()));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(refresh));
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(`**/${TASK_FILE}`));
    this._register(watcher.onDidCreate(refresh));
    this._register(watcher.onDidDelete(refresh));
    this.view = { ...EMPTY_SETUP, trusted: deps.isTrusted() };
    refresh();
  }

  get current(): SetupView {
    return this.view;
  }

  /** Reads everything again; the newest reading wins. */
  async refresh(): Promise<SetupView> {
    const generation = ++this.generation;
    const view = await this.read();
    if (generation === this.generation && JSON.stringify(view) !== JSON.stringify(this.view)) {
      this.view = view;
      this._onDidChange.fire(view);
    }
    return this.view;
  }

  private async read(): Promise<SetupView> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const models = {
      planner: config.get<string[]>('models.planner') ?? [],
      worker: config.get<string[]>('models.worker') ?? [],
      expert: config.get<string>('models.expert') ?? '',
    };
    const needed = neededProviders([...models.planner, ...models.worker, models.expert]);
    const ready: string[] = [];
    for (const provider of PROVIDERS) if (await this.isReady(provider, config)) ready.push(provider);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return {
      trusted: this.deps.isTrusted(),
      readyProviders: ready,
      neededProviders: needed,
      models,
      hasTaskFile: folder !== undefined && existsSync(join(folder, TASK_FILE)),
    };
  }

  /** A key (stored or in the environment) or a base URL. */
  private async isReady(provider: ProviderName, config: vscode.WorkspaceConfiguration): Promise<boolean> {
    if (config.get<string | null>(`providers.${provider}.baseUrl`)) return true;
    return (await this.deps.keys.keySource(provider, config.get<string>(`providers.${provider}.apiKeyEnv`) ?? '')) !== undefined;
  }
}

function neededProviders(ids: string[]): string[] {
  const providers = ids.map((id) => MODEL_ID.exec(id)?.[1]).filter(isProvider);
  return PROVIDERS.filter((p) => providers.includes(p));
}

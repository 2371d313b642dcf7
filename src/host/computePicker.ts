import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SECTION, settingsTarget } from './settings';

type Backend = 'local' | 'ssh' | 'slurm';

interface BackendItem extends vscode.QuickPickItem {
  backend: Backend;
}

/**
 * Select Compute: where the scripts of the next runs go — this machine, a server from the user's ssh
 * config (then its folder there), or SLURM jobs (then an optional partition). Written to the settings.
 */
export async function selectCompute(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.get<Backend>('compute.backend') ?? 'local';
  const choices: BackendItem[] = [
    {
      backend: 'local',
      label: `$(vm) ${vscode.l10n.t('This machine')}`,
      detail: vscode.l10n.t('Scripts run where the workspace is (with Remote-SSH, WSL or a container: there).'),
    },
    {
      backend: 'ssh',
      label: `$(remote) ${vscode.l10n.t('A server over SSH')}`,
      detail: vscode.l10n.t('The workspace is copied to a Host of your ssh config before each run; outputs come back.'),
    },
    {
      backend: 'slurm',
      label: `$(server-environment) ${vscode.l10n.t('SLURM jobs')}`,
      detail: vscode.l10n.t('Each script run is one sbatch job; the workspace must be on the cluster’s shared file system.'),
    },
  ];
  const items = choices.map((item) => ({ ...item, description: item.backend === current ? vscode.l10n.t('current') : undefined }));
  const title = vscode.l10n.t('BudgetML: Select Compute');
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Where should scripts run?') });
  if (!picked) return;
  if (picked.backend === 'ssh' && !(await askSsh(config, title))) return;
  if (picked.backend === 'slurm' && !(await askSlurm(config, title))) return;
  await config.update('compute.backend', picked.backend, settingsTarget());
  void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: scripts now run on {0}.', picked.label.replace(/^\$\([^)]*\) /, '')));
}

async function askSsh(config: vscode.WorkspaceConfiguration, title: string): Promise<boolean> {
  const saved = config.get<{ host?: string; remoteDir?: string; python?: string; configFile?: string }>('compute.ssh') ?? {};
  const hosts = await sshHosts(saved.configFile);
  const host = hosts.length
    ? (await vscode.window.showQuickPick([...hosts.map((h) => ({ label: h })), { label: vscode.l10n.t('Another host…') }], { title }))
        ?.label
    : undefined;
  const name =
    host && hosts.includes(host)
      ? host
      : await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('A Host alias of your ssh config'), value: saved.host });
  if (!name?.trim()) return false;
  const folder = vscode.workspace.workspaceFolders?.[0]?.name ?? 'workspace';
  const remoteDir = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The folder on {0} the workspace is copied to (relative to the remote home, or absolute)', name),
    value: saved.remoteDir ?? `budgetml/${folder}`,
  });
  if (!remoteDir?.trim()) return false;
  await config.update('compute.ssh.host', name.trim(), settingsTarget());
  await config.update('compute.ssh.remoteDir', remoteDir.trim(), settingsTarget());
  return true;
}

async function askSlurm(config: vscode.WorkspaceConfiguration, title: string): Promise<boolean> {
  const saved = config.get<{ partition?: string }>('compute.slurm') ?? {};
  const partition = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The partition (empty: the cluster’s default); more sbatch options in the settings'),
    value: saved.partition ?? '',
  });
  if (partition === undefined) return false;
  await config.update('compute.slurm.partition', partition.trim() || undefined, settingsTarget());
  return true;
}

/** The Host aliases of an ssh config (patterns left out). */
export async function sshHosts(configFile?: string): Promise<string[]> {
  const file = configFile ?? path.join(os.homedir(), '.ssh', 'config');
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const names = text
    .split('\n')
    .map((line) => /^\s*Host\s+(.+)$/i.exec(line)?.[1] ?? '')
    .flatMap((list) => list.split(/\s+/))
    .filter((name) => name && !/[*?!]/.test(name));
  return [...new Set(names)];
}

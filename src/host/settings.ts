import * as vscode from 'vscode';

export const SECTION = 'budgetml';

/** The `budgetml.*` keys this extension declares, read from its manifest (declared once, there). */
export function declaredSettingKeys(extension: vscode.Extension<unknown>): string[] {
  const configuration: unknown = extension.packageJSON?.contributes?.configuration;
  const sections = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  return sections.flatMap((s: { properties?: Record<string, unknown> }) => Object.keys(s.properties ?? {}));
}

/**
 * The values the user set (user, workspace or folder settings) as the nested object the config
 * schema parses. Keys left unset are omitted so the schema's defaults apply; null and '' mean unset.
 */
export function readExplicitSettings(keys: readonly string[], scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const raw: Record<string, unknown> = {};
  for (const key of keys) {
    const name = key.slice(SECTION.length + 1);
    const value = explicitValue(config, name);
    if (value === undefined || value === null || value === '') continue;
    setPath(raw, name.split('.'), value);
  }
  return raw;
}

export function explicitValue(config: vscode.WorkspaceConfiguration, name: string): unknown {
  const inspected = config.inspect(name);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    node = (node[part] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** Where the Select Models command writes: the workspace when one is open, else the user settings. */
export function settingsTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

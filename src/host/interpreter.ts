import * as vscode from 'vscode';
import { explicitValue, SECTION } from './settings';

/** The part of the Python extension's API used here (ms-python.python, `environments`). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

const LOOKUP_LIMIT_MS = 5000;

/**
 * The Python interpreter for scripts: `budgetml.python` when the user set it, else the interpreter
 * selected in the Python extension when it is installed, else the configured default (python3).
 */
export async function resolvePython(folder: vscode.WorkspaceFolder, fallback: string): Promise<string> {
  const explicit = explicitValue(vscode.workspace.getConfiguration(SECTION, folder.uri), 'python');
  if (typeof explicit === 'string' && explicit.trim()) return explicit.trim();
  const selected = await Promise.race([
    selectedInterpreter(folder.uri),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), LOOKUP_LIMIT_MS)),
  ]);
  return selected ?? fallback;
}

async function selectedInterpreter(resource: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const active = api.environments?.getActiveEnvironmentPath(resource);
    if (!active) return undefined;
    const env = await api.environments?.resolveEnvironment(active);
    return env?.executable?.uri?.fsPath || undefined;
  } catch {
    return undefined;
  }
}

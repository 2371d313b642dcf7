import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { runsRoot } from '../runFolders';
import { snapshotPath } from './runData';

const SNAPSHOT_SCHEME = 'budgetml-snapshot';

export interface SnapshotRef {
  /** absolute path of the run folder */
  runDir: string;
  /** the experiment, for the document's path */
  experiment: number;
  /** the file as the record names it (`train.py`, `src/model.py`) */
  file: string;
  sha256: string;
}

/** The read-only document of a code snapshot; its path ends with the file's name, so the language is the file's. */
export function snapshotUri(ref: SnapshotRef): vscode.Uri {
  const query = new URLSearchParams({ run: ref.runDir, hash: ref.sha256 }).toString();
  return vscode.Uri.from({ scheme: SNAPSHOT_SCHEME, path: `/${basename(ref.runDir)}/experiment-${ref.experiment}/${ref.file}`, query });
}

/**
 * Serves `budgetml-snapshot:` documents: the text of `code/<sha256>` in a run folder of one of the
 * workspace folders (any other folder or a malformed hash is refused). Read-only by its nature.
 */
export class SnapshotDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  constructor() {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, this));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const runDir = params.get('run') ?? '';
    const file = isRunFolder(runDir) ? snapshotPath(runDir, params.get('hash') ?? '') : undefined;
    if (!file) throw new Error(vscode.l10n.t('{0} is not a code snapshot of a run of this workspace', uri.toString()));
    return readFile(file, 'utf8');
  }
}

/** A folder directly inside `.budgetml/runs` of a workspace folder. */
function isRunFolder(dir: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((folder) => dirname(dir) === runsRoot(folder.uri.fsPath));
}

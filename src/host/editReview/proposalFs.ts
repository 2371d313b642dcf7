import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'budgetml-proposal';

/**
 * An in-memory file system holding edit proposals, so the proposal side of a diff is a real,
 * editable document: what the user types there is kept and read back when they accept.
 * A proposal's URI is `budgetml-proposal:/<relPath>?<id>`: the path reads like the file's own
 * (breadcrumbs, language), the query tells proposals for the same file apart.
 */
export class ProposalFileSystem implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; ctime: number; mtime: number }>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changeEmitter.event;

  set(uri: vscode.Uri, text: string): void {
    const now = Date.now();
    const existed = this.files.has(keyOf(uri));
    this.files.set(keyOf(uri), { data: new TextEncoder().encode(text), ctime: now, mtime: now });
    this.changeEmitter.fire([{ type: existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  remove(uri: vscode.Uri): void {
    if (this.files.delete(keyOf(uri))) this.changeEmitter.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(keyOf(uri));
    if (file) return { type: vscode.FileType.File, ctime: file.ctime, mtime: file.mtime, size: file.data.byteLength };
    if (this.childrenOf(uri.path).length) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const seen = new Map<string, vscode.FileType>();
    for (const child of this.childrenOf(uri.path)) {
      const [name, ...rest] = child.split('/');
      seen.set(name, rest.length ? vscode.FileType.Directory : vscode.FileType.File);
    }
    return [...seen];
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(keyOf(uri));
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): void {
    const file = this.files.get(keyOf(uri));
    if (!file && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (file && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    const now = Date.now();
    this.files.set(keyOf(uri), { data: content, ctime: file?.ctime ?? now, mtime: now });
    this.changeEmitter.fire([{ type: file ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  createDirectory(): void {
    // directories exist implicitly
  }

  delete(uri: vscode.Uri): void {
    this.remove(uri);
  }

  rename(oldUri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(oldUri);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private childrenOf(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return [...this.files.keys()]
      .map((key) => key.replace(/\?.*$/, ''))
      .filter((p) => p.startsWith(prefix))
      .map((p) => p.slice(prefix.length));
  }
}

function keyOf(uri: vscode.Uri): string {
  return uri.query ? `${uri.path}?${uri.query}` : uri.path;
}

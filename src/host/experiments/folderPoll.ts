import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { runsSignature } from './runData';

/** How often the run folders are looked at while the view is visible. */
const POLL_MS = 2000;

/**
 * A look at the run folders every couple of seconds while the Experiments view is visible, beside
 * the file watchers. VS Code's workspace watcher misses files in folders created in one go
 * (`mkdir -p .budgetml/runs/<id>` in a fresh workspace reports `.budgetml` and nothing beneath
 * it), so a run the CLI starts there would not show until a reload. A look is a directory listing
 * and two `stat`s per run; it calls `changed` when something differs (and on the first look).
 */
export class FolderPoll extends Disposable {
  private timer: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private looking = false;

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly changed: () => void,
  ) {
    super();
    this._register(view.onDidChangeVisibility(() => this.update()));
    this._register(new vscode.Disposable(() => clearInterval(this.timer)));
    this.update();
  }

  private update(): void {
    clearInterval(this.timer);
    this.timer = this.view.visible ? setInterval(() => void this.look(), POLL_MS) : undefined;
  }

  private async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    try {
      const folders = vscode.workspace.workspaceFolders ?? [];
      const signature = (await Promise.all(folders.map((f) => runsSignature(f.uri.fsPath)))).join('\n\n');
      if (signature !== this.last) this.changed();
      this.last = signature;
    } finally {
      this.looking = false;
    }
  }
}

import * as vscode from 'vscode';
import { Disposable } from '../disposable';

const RUN_TEXT_SCHEME = 'budgetml-text';
/** texts kept for reopening; the oldest go first */
const KEEP = 50;

/**
 * Read-only documents the sidebar opens: a step's observation, the plan's versions. They live in
 * memory under their own scheme, so closing them asks nothing and the user cannot edit them.
 */
export class RunTextProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this._onDidChange.event;

  constructor() {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(RUN_TEXT_SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** The document `name` (a path like `run-id/step-3-observation.txt`) holding `text`. */
  async open(name: string, text: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: RUN_TEXT_SCHEME, path: `/${name}` });
    const key = uri.toString();
    this.texts.delete(key);
    this.texts.set(key, text);
    for (const old of [...this.texts.keys()].slice(0, Math.max(0, this.texts.size - KEEP))) this.texts.delete(old);
    this._onDidChange.fire(uri);
    return vscode.workspace.openTextDocument(uri);
  }
}

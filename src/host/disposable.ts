import * as vscode from 'vscode';

/** Owns child disposables and releases them together (children in reverse order of registration). */
export abstract class Disposable implements vscode.Disposable {
  private readonly _children: vscode.Disposable[] = [];
  private _disposed = false;

  protected _register<T extends vscode.Disposable>(child: T): T {
    if (this._disposed) child.dispose();
    else this._children.push(child);
    return child;
  }

  protected get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    for (const child of this._children.splice(0).reverse()) {
      try {
        child.dispose();
      } catch {
        // one failing child must not keep the others alive
      }
    }
  }
}

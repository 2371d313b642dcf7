import * as vscode from 'vscode';
import type { Steering } from '../core/steering';
import { Disposable } from './disposable';

/**
 * The Steering port of one run in the extension: notes the user writes in the sidebar wait here
 * until the core takes them for the planner's next prompt; Pause holds the run before its next
 * step until Continue, or until the run stops (Stop while paused ends the run).
 */
export class RunSteering extends Disposable implements Steering {
  private notes: string[] = [];
  private pauseRequested = false;
  private release: (() => void) | undefined;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** a note arrived or was taken, a pause was asked for or lifted */
  readonly onDidChange = this._onDidChange.event;

  /** The user asked to pause after the current step (and has not said Continue yet). */
  get paused(): boolean {
    return this.pauseRequested;
  }

  /** Notes not yet taken by the run, oldest first. */
  get waitingNotes(): readonly string[] {
    return this.notes;
  }

  addNote(text: string): void {
    const note = text.trim();
    if (!note) return;
    this.notes.push(note);
    this._onDidChange.fire();
  }

  pause(): void {
    if (this.pauseRequested) return;
    this.pauseRequested = true;
    this._onDidChange.fire();
  }

  resume(): void {
    if (!this.pauseRequested) return;
    this.pauseRequested = false;
    this.release?.();
    this.release = undefined;
    this._onDidChange.fire();
  }

  takeNotes(): string[] {
    const taken = this.notes;
    if (taken.length === 0) return [];
    this.notes = [];
    this._onDidChange.fire();
    return taken;
  }

  untilContinued(signal: AbortSignal): Promise<void> {
    if (!this.pauseRequested || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.release = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

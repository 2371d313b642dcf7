import * as vscode from 'vscode';
import type { DecisionView } from '../../shared/viewModels';
import { Disposable } from '../disposable';

/** What the user can answer; Run / Decline fit a script run, Accept / Reject an edit. */
export type Choice = 'run' | 'decline' | 'accept' | 'reject';

/**
 * An answer. `reason`: the user's words for the planner; null: none was asked for (the sidebar's
 * card had its own box, left empty); undefined: ask for one where a choice says no (Decline, Reject).
 */
export interface Answer {
  choice: Choice;
  reason?: string | null;
}

/** A decision as it is posted: the board gives it its id. */
export type DecisionDraft = DistributiveOmit<DecisionView, 'id'>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export interface PendingDecision {
  view: DecisionView;
  /** ms since the epoch */
  since: number;
}

/** What the one who posts a decision does with it. */
export interface DecisionHandlers {
  /** carries out an answer; the poster withdraws the decision once it took effect */
  answer(answer: Answer): unknown;
  /** shows the decision in full (the diff of an edit) */
  open?(): unknown;
}

interface Entry extends PendingDecision {
  handlers: DecisionHandlers;
  /** an answer is being carried out: a second one is ignored */
  answered: boolean;
  /** settles when the decision leaves the board (the announcement closes with it) */
  closed: Promise<void>;
  close(): void;
}

const CHOICES: Record<DecisionView['kind'], readonly Choice[]> = { run: ['run', 'decline'], edit: ['accept', 'reject'] };

/**
 * The decisions a run waits for (a script run, an edit). Whoever answers first wins: the sidebar's
 * card, a command, the diff editor's buttons, the notification. The sidebar shows what is pending;
 * an answer to a decision that is no longer pending is ignored.
 */
export class DecisionBoard extends Disposable {
  private readonly entries = new Map<string, Entry>();
  private nextId = 1;
  private readonly _onDidChange = this._register(new vscode.EventEmitter<PendingDecision | undefined>());
  /** a decision was posted or withdrawn: the oldest pending one, if any */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidPost = this._register(new vscode.EventEmitter<PendingDecision & { closed: Promise<void> }>());
  /** a decision was posted; `closed` settles when it leaves the board (for announcements) */
  readonly onDidPost = this._onDidPost.event;

  constructor() {
    super();
    this._register(new vscode.Disposable(() => [...this.entries.keys()].forEach((id) => this.withdraw(id))));
  }

  /** The oldest decision still waiting. */
  get pending(): PendingDecision | undefined {
    const first = this.entries.values().next().value;
    return first && { view: first.view, since: first.since };
  }

  /** Puts a decision on the board; it stays until its poster withdraws it. Returns its id. */
  post(draft: DecisionDraft, handlers: DecisionHandlers): string {
    const id = `d${this.nextId++}`;
    let close!: () => void;
    const closed = new Promise<void>((resolve) => (close = resolve));
    const view = { ...draft, id } as DecisionView;
    const entry: Entry = { view, since: Date.now(), handlers, answered: false, closed, close };
    this.entries.set(id, entry);
    this.changed();
    this._onDidPost.fire({ view, since: entry.since, closed });
    return id;
  }

  /** Takes a decision off the board (answered, or the run stopped). */
  withdraw(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    entry.close();
    this.changed();
  }

  /**
   * Answers decision `id`. False, doing nothing, when it is no longer pending, another answer is being
   * carried out or the choice does not fit it. An answer that first asks why (Decline or Reject without
   * a reason) does not hold the decision: while its box is open another answer still wins, and the
   * poster closes the box.
   */
  async decide(id: string, answer: Answer): Promise<boolean> {
    const entry = this.entries.get(id);
    if (!entry || entry.answered || !CHOICES[entry.view.kind].includes(answer.choice)) return false;
    const asksWhy = answer.reason === undefined && (answer.choice === 'decline' || answer.choice === 'reject');
    if (asksWhy) {
      await entry.handlers.answer(answer);
      return true;
    }
    entry.answered = true;
    try {
      await entry.handlers.answer(answer);
    } finally {
      entry.answered = false;
    }
    return true;
  }

  /** Shows decision `id` in full (an edit's diff). False when it is no longer pending. */
  async open(id: string): Promise<boolean> {
    const entry = this.entries.get(id);
    if (!entry) return false;
    await entry.handlers.open?.();
    return true;
  }

  isPending(id: string): boolean {
    return this.entries.has(id);
  }

  private changed(): void {
    const pending = this.pending;
    void vscode.commands.executeCommand('setContext', 'budgetml.waitingFor', pending?.view.kind ?? '');
    this._onDidChange.fire(pending);
  }
}

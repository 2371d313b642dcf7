import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EditDecision, EditProposal } from '../../core/host';
import { Disposable } from '../disposable';
import { computeHunks, type Hunk } from './hunks';
import { PROPOSAL_SCHEME, ProposalFileSystem } from './proposalFs';
import { currentText, exists, replaceRange, writeThroughEditor } from './workspaceText';

/** Left side of the diff for a file that does not exist yet: always empty. */
const EMPTY_SCHEME = 'budgetml-empty';

export interface ReviewPrompts {
  /**
   * Optional reason for a rejection; undefined when the user gives none. `token` is cancelled when
   * the review ends elsewhere (accepted, or the run stopped): the box closes.
   */
  rejectReason(relPath: string, token: vscode.CancellationToken): Promise<string | undefined>;
  /** The diff of a waiting proposal was closed: remind the user it still needs a decision. */
  stillWaiting(relPath: string): Promise<'show' | 'accept' | 'reject' | undefined>;
}

interface Pending {
  proposal: EditProposal;
  fileUri: vscode.Uri;
  proposalUri: vscode.Uri;
  leftUri: vscode.Uri;
  settled: boolean;
  /** an accept or reject is writing the file and settling: Stop and other answers wait for it */
  settling?: Promise<void>;
  /** the box asking why the edit is rejected, while it is open */
  asking?: vscode.CancellationTokenSource;
  resolve(decision: EditDecision): void;
}

/**
 * Shows edit proposals as diffs (file ↔ editable proposal) and turns the user's review into an
 * EditDecision. Whole edits are accepted or rejected with the title buttons or commands, single
 * hunks with CodeLens; accepting goes through a WorkspaceEdit, so the editor can undo it.
 */
export class EditReview extends Disposable {
  private readonly fs = this._register(new ProposalFileSystem());
  private readonly pending = new Map<string, Pending>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** fires when a proposal arrives or is settled, and when one of the reviewed documents changes */
  readonly onDidChange = this._onDidChange.event;
  private nextId = 1;

  constructor(private readonly prompts: () => ReviewPrompts) {
    super();
    this._register(vscode.workspace.registerFileSystemProvider(PROPOSAL_SCHEME, this.fs, { isCaseSensitive: true }));
    this._register(vscode.workspace.registerTextDocumentContentProvider(EMPTY_SCHEME, { provideTextDocumentContent: () => '' }));
    this._register(vscode.window.tabGroups.onDidChangeTabs((e) => this.onTabsClosed(e.closed)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.findByDocument(e.document.uri)) this._onDidChange.fire();
      }),
    );
  }

  /**
   * Opens the diff without taking keyboard focus and resolves once the user has decided.
   * `onPending` learns the proposal's uri (what accept, reject and reveal take) as soon as it waits.
   */
  async review(proposal: EditProposal, signal: AbortSignal, onPending?: (target: vscode.Uri) => void): Promise<EditDecision> {
    const id = this.nextId++;
    const fileUri = vscode.Uri.file(proposal.path);
    const proposalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${proposal.relPath}`, query: String(id) });
    const leftUri = (await exists(fileUri))
      ? fileUri
      : vscode.Uri.from({ scheme: EMPTY_SCHEME, path: `/${proposal.relPath}`, query: String(id) });
    this.fs.set(proposalUri, proposal.proposed);
    const decision = new Promise<EditDecision>((resolve) => {
      this.pending.set(proposalUri.toString(), { proposal, fileUri, proposalUri, leftUri, settled: false, resolve });
    });
    this.changed();
    onPending?.(proposalUri);
    const onAbort = () => {
      const p = this.pending.get(proposalUri.toString());
      if (p) void this.stop(p);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    // not awaited: opening the diff can take long to report back, and the decision does not depend on it
    else void this.show(this.pending.get(proposalUri.toString())).catch((error) => this.onShowFailed(error));
    try {
      return await decision;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Writes the proposal (with the user's changes to it) to the file. False when nothing is waiting. */
  async accept(target?: unknown): Promise<boolean> {
    const p = this.find(target);
    if (!p) return false;
    await this.settle(p, async () => {
      const text = (await vscode.workspace.openTextDocument(p.proposalUri)).getText();
      await writeThroughEditor(p.fileUri, text);
      await this.finish(p, { accepted: true, text, userModified: text !== p.proposal.proposed });
    });
    return true;
  }

  /**
   * Leaves the file as it was before the proposal. `reason` undefined: ask the user for one; while
   * the box is open, an Accept or Stop still wins and closes it.
   */
  async reject(target?: unknown, reason?: string | null): Promise<boolean> {
    const p = this.find(target);
    if (!p) return false;
    // a second Reject that asks while the box is open: the open box answers it
    if (reason === undefined && p.asking) return true;
    const why = reason === undefined ? await this.askWhy(p) : (reason ?? undefined);
    await this.settle(p, async () => {
      if ((await currentText(p.fileUri)) !== p.proposal.original) {
        // hunks accepted earlier are taken back
        await writeThroughEditor(p.fileUri, p.proposal.original);
      }
      await this.finish(p, why ? { accepted: false, reason: why } : { accepted: false });
    });
    return true;
  }

  /** Applies one hunk of the proposal to the file. */
  async acceptHunk(target: unknown, index: number, fingerprint?: string): Promise<void> {
    const found = await this.hunkAt(target, index, fingerprint);
    if (!found) return;
    const { p, hunk } = found;
    if (!(await exists(p.fileUri))) {
      await this.accept(p.proposalUri);
      return;
    }
    await replaceRange(p.fileUri, hunk.left.offset, hunk.left.text.length, hunk.right.text);
    await this.settleIfReviewed(p);
  }

  /** Takes one hunk out of the proposal (the proposal side goes back to the file's text there). */
  async rejectHunk(target: unknown, index: number, fingerprint?: string): Promise<void> {
    const found = await this.hunkAt(target, index, fingerprint);
    if (!found) return;
    const { p, hunk } = found;
    await replaceRange(p.proposalUri, hunk.right.offset, hunk.right.text.length, hunk.left.text);
    await this.settleIfReviewed(p);
  }

  /** The hunks still open for the proposal shown in `uri` (empty when it is not a waiting proposal). */
  async hunks(uri: vscode.Uri): Promise<Hunk[]> {
    const p = this.findByDocument(uri);
    if (!p) return [];
    const [left, right] = await this.texts(p);
    return computeHunks(left, right);
  }

  /** Shows the diff of a waiting proposal again. False when it no longer waits. */
  async reveal(target: unknown): Promise<boolean> {
    const p = this.find(target);
    if (!p || p.settled) return false;
    await this.show(p);
    return true;
  }

  /** Files with a proposal waiting for review, oldest first (relative paths). */
  waiting(): string[] {
    return [...this.pending.values()].map((p) => p.proposal.relPath);
  }

  private async show(p: Pending | undefined): Promise<void> {
    if (!p || p.settled) return;
    const title = vscode.l10n.t('{0} ↔ BudgetML proposal', path.basename(p.proposal.relPath));
    const options: vscode.TextDocumentShowOptions = { preview: true, preserveFocus: true, viewColumn: reviewColumn() };
    await vscode.commands.executeCommand('vscode.diff', p.leftUri, p.proposalUri, title, options);
    // decided while the diff was opening: do not leave it behind
    if (p.settled) await closeReviewTabs(p.proposalUri);
  }

  /**
   * Runs `work` (write the file, then finish) unless the proposal is settled or settling: the first
   * answer wins and a later one waits for it, so what the core is told matches what is on disk.
   */
  private async settle(p: Pending, work: () => Promise<void>): Promise<void> {
    if (p.settling) return p.settling;
    if (p.settled) return;
    p.settling = work().finally(() => (p.settling = undefined));
    return p.settling;
  }

  /** The run stopped: an accept or reject already writing the file is waited for, else the edit is rejected. */
  private async stop(p: Pending): Promise<void> {
    if (p.settling) await p.settling.catch(() => undefined);
    await this.finish(p, { accepted: false, reason: 'the run was stopped before the edit was reviewed' });
  }

  private async askWhy(p: Pending): Promise<string | undefined> {
    const source = (p.asking = new vscode.CancellationTokenSource());
    try {
      return await this.prompts().rejectReason(p.proposal.relPath, source.token);
    } finally {
      if (p.asking === source) p.asking = undefined;
      source.dispose();
    }
  }

  private onShowFailed(error: unknown): void {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('BudgetML could not open the proposed edit: {0}', error instanceof Error ? error.message : String(error)),
    );
  }

  private async hunkAt(target: unknown, index: number, fingerprint?: string): Promise<{ p: Pending; hunk: Hunk } | undefined> {
    const p = this.find(target);
    if (!p || p.settling) return undefined;
    const [left, right] = await this.texts(p);
    const hunk = computeHunks(left, right)[index];
    if (!hunk || (fingerprint !== undefined && fingerprint !== hunkFingerprint(hunk))) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('BudgetML: that change moved while you were reviewing; use the updated CodeLens.'),
      );
      return undefined;
    }
    return { p, hunk };
  }

  private async settleIfReviewed(p: Pending): Promise<void> {
    const [left, right] = await this.texts(p);
    if (left !== right) return;
    if (left === p.proposal.original && (await exists(p.fileUri)) === (p.leftUri.scheme === 'file')) {
      await this.finish(p, { accepted: false, reason: 'the user rejected every change of the edit' });
    } else {
      await this.finish(p, { accepted: true, text: left, userModified: left !== p.proposal.proposed });
    }
  }

  private async texts(p: Pending): Promise<[string, string]> {
    const right = (await vscode.workspace.openTextDocument(p.proposalUri)).getText();
    return [await currentText(p.fileUri), right];
  }

  private async finish(p: Pending, decision: EditDecision): Promise<void> {
    if (p.settled) return;
    p.settled = true;
    p.asking?.cancel();
    this.pending.delete(p.proposalUri.toString());
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === p.proposalUri.toString());
    if (doc?.isDirty) await doc.save();
    await closeReviewTabs(p.proposalUri);
    this.fs.remove(p.proposalUri);
    this.changed();
    p.resolve(decision);
  }

  /** The proposal a command means: the one named (a stale one is not replaced by another), else the active tab's, else the newest. */
  private find(target: unknown): Pending | undefined {
    const uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.parse(target) : undefined;
    if (uri) return this.findByDocument(uri);
    const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const activeUri =
      active instanceof vscode.TabInputTextDiff ? active.modified : active instanceof vscode.TabInputText ? active.uri : undefined;
    const fromTab = activeUri && this.findByDocument(activeUri);
    return fromTab || [...this.pending.values()].pop();
  }

  private findByDocument(uri: vscode.Uri): Pending | undefined {
    const key = uri.toString();
    return this.pending.get(key) ?? [...this.pending.values()].find((p) => p.fileUri.toString() === key || p.leftUri.toString() === key);
  }

  private onTabsClosed(closed: readonly vscode.Tab[]): void {
    for (const tab of closed) {
      const input = tab.input;
      if (!(input instanceof vscode.TabInputTextDiff) || input.modified.scheme !== PROPOSAL_SCHEME) continue;
      const p = this.pending.get(input.modified.toString());
      if (p && !p.settled) void this.remind(p);
    }
  }

  private async remind(p: Pending): Promise<void> {
    const choice = await this.prompts().stillWaiting(p.proposal.relPath);
    if (p.settled) return;
    if (choice === 'show') await this.show(p);
    else if (choice === 'accept') await this.accept(p.proposalUri);
    else if (choice === 'reject') await this.reject(p.proposalUri);
  }

  private changed(): void {
    void vscode.commands.executeCommand('setContext', 'budgetml.reviewingEdit', this.pending.size > 0);
    this._onDidChange.fire();
  }
}

/** Identifies a hunk's content, so a CodeLens click on an outdated hunk is noticed. */
export function hunkFingerprint(hunk: Hunk): string {
  return `${hunk.left.offset}:${hunk.left.text.length}:${hunk.right.offset}:${hunk.right.text}`;
}

/**
 * Where a proposal opens: next to the editor the user works in, so it stays visible and keeps the
 * keyboard (opening in the same group would hide it and drop the focus); in the active group otherwise.
 */
function reviewColumn(): vscode.ViewColumn {
  const reviewing = vscode.window.tabGroups.all.find((g) =>
    g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PROPOSAL_SCHEME),
  );
  if (reviewing) return reviewing.viewColumn;
  return vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
}

async function closeReviewTabs(proposalUri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => isReviewTab(t, proposalUri));
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}

function isReviewTab(tab: vscode.Tab, proposalUri: vscode.Uri): boolean {
  const input = tab.input;
  const key = proposalUri.toString();
  if (input instanceof vscode.TabInputTextDiff) return input.modified.toString() === key;
  return input instanceof vscode.TabInputText && input.uri.toString() === key;
}

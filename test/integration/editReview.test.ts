/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { emptySidebarView } from '../../src/shared/viewModels';
import type { EditDecision, EditProposal } from '../../src/core/host';
import type { BudgetmlApi } from '../../src/host/api';
import { budgetml, closeAllEditors, focusReport, inWorkspace, screenshot, setSetting, sleep, waitFor, openBoxes } from './helpers';

const ORIGINAL = fs.readFileSync(inWorkspace('train.py'), 'utf8');
const PROPOSED = ORIGINAL.replace('learning_rate = 0.01', 'learning_rate = 0.003').replace('epochs = 10', 'epochs = 20');
const TWO_HUNKS = ORIGINAL.replace('learning_rate = 0.01', 'learning_rate = 0.003').replace(
  '    return accuracy',
  '    return min(accuracy, 1.0)',
);

function proposal(relPath: string, original: string, proposed: string): EditProposal {
  return {
    path: inWorkspace(relPath),
    relPath,
    root: inWorkspace('.'),
    original,
    proposed,
    diff: '(diff)',
    reason: 'tune the learning rate',
  };
}

function reviewTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'budgetml-proposal');
}

async function waitForReviewTab(): Promise<{ tab: vscode.Tab; proposalUri: vscode.Uri }> {
  const tab = await waitFor(reviewTab, 'the diff of the proposal');
  return { tab, proposalUri: (tab.input as vscode.TabInputTextDiff).modified };
}

function onDisk(relPath: string): string {
  return fs.readFileSync(inWorkspace(relPath), 'utf8');
}

describe('edit review', function () {
  let api: BudgetmlApi;
  let savedPrompts: BudgetmlApi['host']['prompts'];

  before(async () => {
    api = await budgetml();
    savedPrompts = api.host.prompts;
  });

  beforeEach(() => {
    fs.writeFileSync(inWorkspace('train.py'), ORIGINAL);
  });

  afterEach(async () => {
    api.host.prompts = savedPrompts;
    await setSetting('autoApproveEdits', undefined);
    await closeAllEditors();
    fs.writeFileSync(inWorkspace('train.py'), ORIGINAL);
  });

  it('opens the proposal as an editable diff titled "<file> ↔ BudgetML proposal"', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(inWorkspace('exit_code.py')));
    const typing = await focusReport('focus-before-proposal');
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), new AbortController().signal);
    const { tab, proposalUri } = await waitForReviewTab();
    assert.equal(tab.label, 'train.py ↔ BudgetML proposal');
    assert.equal((tab.input as vscode.TabInputTextDiff).original.fsPath, inWorkspace('train.py'));
    assert.equal(tab.isPreview, true);
    const proposed = await vscode.workspace.openTextDocument(proposalUri);
    assert.equal(proposed.getText(), PROPOSED);
    assert.equal(proposed.languageId, 'python');
    await sleep(500);
    const after = await focusReport('focus-after-proposal');
    console.log('      focus before/after:', JSON.stringify(typing), JSON.stringify(after));
    if (typing && after) {
      assert.equal(after.diffEditor, false, 'the diff does not take the keyboard focus');
      assert.deepEqual(after, typing, 'the editor the user was typing in keeps the focus');
    }
    await screenshot('diff-beside');
    await vscode.commands.executeCommand('budgetml.rejectEdit', undefined, 'not now');
    assert.deepEqual(await decision, { accepted: false, reason: 'not now' });
  });

  it('accepts a whole edit through a WorkspaceEdit: the file changes on disk and Ctrl+Z takes it back', async () => {
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), new AbortController().signal);
    await waitForReviewTab();
    assert.equal(await vscode.commands.executeCommand('budgetml.acceptEdit'), true);
    assert.deepEqual(await decision, { accepted: true, text: PROPOSED, userModified: false });
    assert.equal(onDisk('train.py'), PROPOSED);
    assert.equal(reviewTab(), undefined, 'the diff closes');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(inWorkspace('train.py')));
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), ORIGINAL, 'undo restores the text');
    await editor.document.save();
  });

  it('rejects an edit with the reason from the input box: the file stays as it was', async () => {
    api.host.prompts = { ...savedPrompts, rejectReason: async () => 'keep the learning rate' };
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), new AbortController().signal);
    await waitForReviewTab();
    assert.equal(await vscode.commands.executeCommand('budgetml.rejectEdit'), true);
    assert.deepEqual(await decision, { accepted: false, reason: 'keep the learning rate' });
    assert.equal(onDisk('train.py'), ORIGINAL);
    assert.equal(reviewTab(), undefined);
  });

  it('accepts one hunk and rejects the other with their CodeLenses', async () => {
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, TWO_HUNKS), new AbortController().signal);
    const { proposalUri } = await waitForReviewTab();
    await vscode.workspace.openTextDocument(proposalUri);
    const lenses = await waitFor(async () => {
      // "Illegal argument" until the workbench has loaded the document: try again
      const found = await vscode.commands
        .executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', proposalUri)
        .then(undefined, () => undefined);
      return found?.length === 4 ? found : undefined;
    }, 'four CodeLenses (accept/reject for two hunks)');
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['$(check) Accept change', '$(discard) Reject change', '$(check) Accept change', '$(discard) Reject change'],
    );
    assert.equal(vscode.workspace.getConfiguration('diffEditor').get('codeLens'), true, 'CodeLens shows in diff editors');
    const shown = emptySidebarView(5, 1);
    api.meter.show({
      ...shown,
      run: { id: 'shot', goal: 'g', status: 'running', step: 1, maxSteps: 30, paused: false },
      cost: { ...shown.cost, usd: 0.0123 },
    });
    await sleep(1500); // let the CodeLenses render
    await screenshot('diff-review');
    const acceptFirst = lenses[0].command!;
    await vscode.commands.executeCommand(acceptFirst.command, ...(acceptFirst.arguments ?? []));
    const expected = ORIGINAL.replace('learning_rate = 0.01', 'learning_rate = 0.003');
    assert.equal(onDisk('train.py'), expected, 'the first hunk is on disk');
    const rest = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', proposalUri);
    assert.equal(rest.length, 2, 'one hunk left');
    const rejectSecond = rest[1].command!;
    await vscode.commands.executeCommand(rejectSecond.command, ...(rejectSecond.arguments ?? []));
    assert.deepEqual(await decision, { accepted: true, text: expected, userModified: true });
    assert.equal(onDisk('train.py'), expected);
    assert.equal(reviewTab(), undefined);
  });

  it('keeps and reports the changes the user typed into the proposal', async () => {
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), new AbortController().signal);
    const { proposalUri } = await waitForReviewTab();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(proposalUri, new vscode.Position(0, 0), '# tuned by hand\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await vscode.commands.executeCommand('budgetml.acceptEdit', proposalUri);
    const expected = `# tuned by hand\n${PROPOSED}`;
    assert.deepEqual(await decision, { accepted: true, text: expected, userModified: true });
    assert.equal(onDisk('train.py'), expected);
  });

  it('creates a new file when its proposal is accepted', async () => {
    fs.rmSync(inWorkspace('notes.py'), { force: true });
    const decision = api.host.proposeEdit(proposal('notes.py', '', 'print("new")\n'), new AbortController().signal);
    const { tab } = await waitForReviewTab();
    assert.equal(tab.label, 'notes.py ↔ BudgetML proposal');
    await vscode.commands.executeCommand('budgetml.acceptEdit');
    assert.deepEqual(await decision, { accepted: true, text: 'print("new")\n', userModified: false });
    assert.equal(onDisk('notes.py'), 'print("new")\n');
    fs.rmSync(inWorkspace('notes.py'));
  });

  it('applies edits without review when budgetml.autoApproveEdits is on', async () => {
    await setSetting('autoApproveEdits', true);
    const decision: EditDecision = await api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), new AbortController().signal);
    assert.deepEqual(decision, { accepted: true, text: PROPOSED, userModified: false });
    assert.equal(onDisk('train.py'), PROPOSED);
    assert.equal(reviewTab(), undefined, 'no diff opened');
  });

  it('reminds the user of a proposal whose diff they closed, and takes the answer', async () => {
    const asked: string[] = [];
    api.host.prompts = { ...savedPrompts, stillWaiting: async (relPath) => (asked.push(relPath), 'accept') };
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), new AbortController().signal);
    const { tab } = await waitForReviewTab();
    await vscode.window.tabGroups.close(tab);
    assert.deepEqual(await decision, { accepted: true, text: PROPOSED, userModified: false });
    assert.deepEqual(asked, ['train.py']);
    assert.equal(onDisk('train.py'), PROPOSED);
  });

  it('a Reject that asks why: an Accept while the box is open wins, and Stop closes the box', async () => {
    const boxes = openBoxes();
    api.host.prompts = { ...savedPrompts, rejectReason: (relPath, token) => boxes.open(relPath, token) };
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), new AbortController().signal);
    await waitForReviewTab();
    const card = await waitFor(() => api.decisions.pending?.view, 'the edit on the decision board');
    // the notification's Cancel: Reject, asking why
    const rejecting = vscode.commands.executeCommand('budgetml.decide', card.id, 'reject');
    await waitFor(() => boxes.all.length === 1, 'the box asking why');
    await api.sidebar.provider.receive({ type: 'decide', id: card.id, choice: 'accept' });
    assert.deepEqual(await decision, { accepted: true, text: PROPOSED, userModified: false });
    assert.equal(boxes.all[0].closed, true, 'the box closes');
    await rejecting;
    assert.equal(onDisk('train.py'), PROPOSED);

    fs.writeFileSync(inWorkspace('train.py'), ORIGINAL);
    const stop = new AbortController();
    const stopped = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), stop.signal);
    await waitForReviewTab();
    void vscode.commands.executeCommand('budgetml.rejectEdit');
    await waitFor(() => boxes.all.length === 2, 'the box asking why');
    stop.abort();
    assert.equal((await stopped).accepted, false);
    await waitFor(() => boxes.all[1].closed, 'Stop to close the box');
    assert.equal(onDisk('train.py'), ORIGINAL);
    assert.equal(api.decisions.pending, undefined);
  });

  it('Accept and Stop at the same moment: the core is told what is on disk', async () => {
    const stop = new AbortController();
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), stop.signal);
    const { proposalUri } = await waitForReviewTab();
    const accepting = api.review.accept(proposalUri);
    stop.abort();
    const result = await decision;
    assert.equal(await accepting, true);
    assert.deepEqual(result, { accepted: true, text: PROPOSED, userModified: false }, 'an accept under way is waited for');
    assert.equal(onDisk('train.py'), PROPOSED);
    await waitFor(() => reviewTab() === undefined, 'the diff to close');
  });

  it('closes the review and rejects the edit when the run stops', async () => {
    const stop = new AbortController();
    const decision = api.host.proposeEdit(proposal('train.py', ORIGINAL, PROPOSED), stop.signal);
    await waitForReviewTab();
    stop.abort();
    const result = await decision;
    assert.equal(result.accepted, false);
    assert.equal(onDisk('train.py'), ORIGINAL);
    await waitFor(() => reviewTab() === undefined, 'the diff to close');
  });
});

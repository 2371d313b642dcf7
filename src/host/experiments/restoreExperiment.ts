import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { planRestore, staysInside, type CodeFile } from './codeFiles';
import { experimentLabel } from './experimentText';
import type { ExperimentNode } from './experimentsTree';

export interface RestoreResult {
  /** workspace-relative files written back */
  restored: string[];
  /** why nothing (or not everything) was written; undefined when all went well */
  problem?: string;
}

/** Asks whether to write the files back (they differ from what is there now); tests replace it. */
export type RestoreConfirm = (experiment: string, files: { path: string; exists: boolean }[]) => Promise<boolean>;

interface FileToWrite extends CodeFile {
  uri: vscode.Uri;
  text: string;
  exists: boolean;
}

/**
 * Restore Experiment Code: every file of `record.code` back as the experiment ran it, in ONE
 * WorkspaceEdit (the whole text replaced, or the file created), so one Undo takes it back. Asks
 * first when a file differs from what is there now; refuses paths outside the workspace; data and
 * weights are never written.
 */
export async function restoreExperiment(node: ExperimentNode, confirm: RestoreConfirm = confirmRestore): Promise<RestoreResult> {
  const { record, parent } = node;
  const name = experimentLabel(record);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(parent.run.workspace));
  if (!folder) return refuse(vscode.l10n.t('the run of {0} is not in a folder of this workspace', name));
  const plan = planRestore(record, parent.run.dir, folder.uri.fsPath);
  for (const file of plan.files) if (!(await staysInside(folder.uri.fsPath, file.target))) plan.refused.push(file.path);
  if (plan.refused.length)
    return refuse(vscode.l10n.t('{0} names files outside the workspace ({1}); nothing was restored', name, plan.refused.join(', ')));
  if (!plan.files.length) return refuse(vscode.l10n.t('{0} kept no code to restore', name));
  const missing = plan.files.filter((f) => !existsSync(f.snapshot)).map((f) => f.path);
  if (missing.length)
    return refuse(
      vscode.l10n.t('the snapshot of {0} kept for {1} is missing from the run folder; nothing was restored', missing.join(', '), name),
    );

  const files = await Promise.all(plan.files.map(readSides));
  const changed = files.filter((f) => !f.same);
  if (!changed.length) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('BudgetML: {0} is already as {1} ran it.', files.map((f) => f.path).join(', '), name),
    );
    return { restored: [] };
  }
  if (!(await confirm(name, changed))) return { restored: [], problem: 'cancelled' };
  await apply(changed, vscode.l10n.t('Restore the code of {0}', name));
  const script = changed.find((f) => f.path === record.script) ?? changed[0];
  await vscode.window.showTextDocument(script.uri, { preview: false });
  const restored = changed.map((f) => f.path).join(', ');
  void vscode.window.showInformationMessage(
    plan.skipped.length
      ? vscode.l10n.t(
          'BudgetML: restored {0} as {1} ran it. Undo (Ctrl+Z) brings the previous text back. Data and weights are not restored: {2}.',
          restored,
          name,
          plan.skipped.join(', '),
        )
      : vscode.l10n.t('BudgetML: restored {0} as {1} ran it. Undo (Ctrl+Z) brings the previous text back.', restored, name),
  );
  return { restored: changed.map((f) => f.path) };
}

/** The snapshot's text and the file's text now (the editor's, unsaved changes included). */
async function readSides(file: CodeFile): Promise<FileToWrite & { same: boolean }> {
  const uri = vscode.Uri.file(file.target);
  const text = await readFile(file.snapshot, 'utf8');
  const exists = existsSync(file.target);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const current = open ? open.getText() : exists ? await readFile(file.target, 'utf8') : '';
  const lf = (t: string) => t.replace(/\r\n/g, '\n');
  return { ...file, uri, text, exists, same: exists && lf(current) === lf(text) };
}

/** A modal naming the files: "Restore the code of #3 step 4 · train.py?" with Restore / Cancel. */
export const confirmRestore: RestoreConfirm = async (name, changed) => {
  const listed = changed.map((f) => (f.exists ? f.path : vscode.l10n.t('{0} (new file)', f.path))).join(', ');
  const restore = vscode.l10n.t('Restore');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Restore the code of {0}?', name),
    {
      modal: true,
      detail: vscode.l10n.t('This replaces {0} with the text the experiment ran. Undo (Ctrl+Z) brings the current text back.', listed),
    },
    restore,
  );
  return answer === restore;
};

/** One WorkspaceEdit for every file; the changed documents are saved so the files on disk match. */
async function apply(files: FileToWrite[], label: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: false, label };
  const docs: vscode.TextDocument[] = [];
  for (const file of files) {
    if (!file.exists) {
      edit.createFile(file.uri, { contents: new TextEncoder().encode(file.text) }, metadata);
      continue;
    }
    const doc = await vscode.workspace.openTextDocument(file.uri);
    edit.replace(file.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), file.text, metadata);
    docs.push(doc);
  }
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new Error(vscode.l10n.t('VS Code refused the edit that restores {0}', files.map((f) => f.path).join(', ')));
  for (const doc of docs)
    if (doc.isDirty && !(await doc.save())) throw new Error(vscode.l10n.t('could not save {0}', vscode.workspace.asRelativePath(doc.uri)));
}

function refuse(problem: string): RestoreResult {
  void vscode.window.showWarningMessage(vscode.l10n.t('BudgetML: {0}.', problem));
  return { restored: [], problem };
}

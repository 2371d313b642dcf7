import * as vscode from 'vscode';
import { computeHunks } from './hunks';

/** The text of a file as the editor sees it (unsaved changes included); '' when it does not exist. */
export async function currentText(uri: vscode.Uri): Promise<string> {
  if (!(await exists(uri))) return '';
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `uri` contain `text` through a WorkspaceEdit (one replacement per changed block, so Ctrl+Z
 * undoes it in the editor) and saves the document, so the change is on disk for the agent.
 */
export async function writeThroughEditor(uri: vscode.Uri, text: string): Promise<void> {
  // a document that changes under the edit (reloaded from disk meanwhile) refuses it: the edit is
  // built again from the document as it is now, once
  for (let attempt = 0; attempt < 2; attempt++) {
    const edit = await editTo(uri, text);
    if (!edit) return;
    if (await vscode.workspace.applyEdit(edit)) return saveIfDirty(uri);
  }
  throw new Error(`VS Code refused the edit to ${vscode.workspace.asRelativePath(uri)}`);
}

/** The edit that makes `uri` hold `text`; undefined when the document already does (the file is brought in line then). */
async function editTo(uri: vscode.Uri, text: string): Promise<vscode.WorkspaceEdit | undefined> {
  const edit = new vscode.WorkspaceEdit();
  if (!(await exists(uri))) {
    edit.createFile(uri, { ignoreIfExists: true });
    edit.insert(uri, new vscode.Position(0, 0), text);
    return edit;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  for (const hunk of computeHunks(doc.getText(), text)) {
    edit.replace(uri, rangeOf(doc, hunk.left.offset, hunk.left.text.length), hunk.right.text);
  }
  if (edit.size > 0) return edit;
  if (doc.isDirty) await doc.save();
  // a document not yet reloaded after the file changed on disk already "holds" the text: write the file
  else if (new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) !== text) {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  }
  return undefined;
}

/** Replaces `length` characters at `offset` of the document at `uri`; saves it when it is a file on disk. */
export async function replaceRange(uri: vscode.Uri, offset: number, length: number, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, rangeOf(doc, offset, length), text);
  await applyAndSave(edit, uri);
}

async function applyAndSave(edit: vscode.WorkspaceEdit, uri: vscode.Uri): Promise<void> {
  if (!(await vscode.workspace.applyEdit(edit))) {
    throw new Error(`VS Code refused the edit to ${vscode.workspace.asRelativePath(uri)}`);
  }
  await saveIfDirty(uri);
}

async function saveIfDirty(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty && !(await doc.save())) {
    throw new Error(`could not save ${vscode.workspace.asRelativePath(uri)}`);
  }
}

function rangeOf(doc: vscode.TextDocument, offset: number, length: number): vscode.Range {
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + length));
}

import { isAbsolute, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { EditProposal, ScriptRequest } from '../../core/host';
import { computeHunks } from '../editReview/hunks';
import type { DecisionDraft } from './decisionBoard';

/** A script run as its card shows it: the command as typed, its folder relative to the workspace. */
export function runDraft(request: ScriptRequest, step: number): Extract<DecisionDraft, { kind: 'run' }> {
  return {
    kind: 'run',
    step,
    command: request.display,
    folder: workspaceRelative(request.cwd),
    timeoutSec: request.timeoutSec ?? null,
  };
}

/** An edit as its card shows it: the file, how many changes and lines, the planner's instruction. */
export function editDraft(proposal: EditProposal, step: number): Extract<DecisionDraft, { kind: 'edit' }> {
  const hunks = computeHunks(proposal.original, proposal.proposed);
  return {
    kind: 'edit',
    step,
    file: proposal.relPath,
    hunks: hunks.length,
    added: hunks.reduce((n, h) => n + lineCount(h.right.text), 0),
    removed: hunks.reduce((n, h) => n + lineCount(h.left.text), 0),
    reason: proposal.reason,
  };
}

function lineCount(text: string): number {
  if (!text) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The folder relative to the workspace ('.' for its root); outside it, as it is. */
function workspaceRelative(folder: string): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) return folder;
  const rel = relative(root, folder);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? folder : rel.split(sep).join('/');
}

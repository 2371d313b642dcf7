import * as vscode from 'vscode';
import type { EditDecision, EditProposal, Host, LogLevel, ScriptExit, ScriptRequest } from '../core/host';
import type { EditReview } from './editReview/editReview';
import { writeThroughEditor } from './editReview/workspaceText';
import { defaultPrompts, type UserPrompts } from './prompts';
import type { ScriptRunner } from './terminal/scriptRunner';

export interface ApprovalSettings {
  autoApproveEdits: boolean;
  autoRunScripts: boolean;
}

/** Reads the approval settings live, so turning them on or off takes effect during a run. */
function liveApprovalSettings(): ApprovalSettings {
  const c = vscode.workspace.getConfiguration('budgetml');
  return { autoApproveEdits: c.get<boolean>('autoApproveEdits') === true, autoRunScripts: c.get<boolean>('autoRunScripts') === true };
}

/** The Host port in VS Code: edits become reviewable diffs, scripts run in the integrated terminal. */
export class VsCodeHost implements Host {
  /** what the host asks the user; replaceable so tests can answer */
  prompts: UserPrompts = defaultPrompts;
  /** replaceable so tests can simulate an untrusted workspace */
  isTrusted: () => boolean = () => vscode.workspace.isTrusted;

  constructor(
    private readonly review: EditReview,
    private readonly scripts: ScriptRunner,
    private readonly channel: vscode.LogOutputChannel,
    private readonly settings: () => ApprovalSettings = liveApprovalSettings,
  ) {}

  async proposeEdit(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision> {
    if (signal.aborted) return { accepted: false, reason: 'the run was stopped before the edit was reviewed' };
    if (this.settings().autoApproveEdits) {
      await writeThroughEditor(vscode.Uri.file(proposal.path), proposal.proposed);
      this.channel.info(`Applied the edit to ${proposal.relPath} without review (budgetml.autoApproveEdits)`);
      return { accepted: true, text: proposal.proposed, userModified: false };
    }
    this.channel.info(`Edit to ${proposal.relPath} waits for review`);
    const decision = await this.review.review(proposal, signal);
    this.channel.info(`Edit to ${proposal.relPath}: ${describeDecision(decision)}`);
    return decision;
  }

  async runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    if (!this.isTrusted()) {
      this.channel.warn(`Did not run ${request.display}: the workspace is not trusted`);
      return declined(
        'the workspace is not trusted, so BudgetML runs no scripts in it; the user can trust it with "Workspaces: Manage Workspace Trust"',
      );
    }
    if (!this.settings().autoRunScripts) {
      const approved = await this.prompts.confirmRun(request.display, request.cwd, signal);
      if (signal.aborted) return { exitCode: null, timedOut: false, cancelled: true };
      if (!approved) {
        this.channel.info(`The user declined to run ${request.display}`);
        return declined('the user declined to run it');
      }
    }
    this.channel.info(`Running ${request.display} in ${request.cwd}`);
    const result = await this.scripts.run(request, onOutput, signal);
    const how = result.timedOut ? 'hit the time limit' : result.cancelled ? 'was stopped' : `exited with ${result.exitCode}`;
    this.channel.info(`${request.display} ${how} (${result.via})`);
    return result;
  }

  log(level: LogLevel, message: string): void {
    this.channel[level](message);
  }
}

function declined(reason: string): ScriptExit {
  return { exitCode: null, timedOut: false, cancelled: false, declined: true, declineReason: reason };
}

function describeDecision(decision: EditDecision): string {
  if (!decision.accepted) return `rejected${decision.reason ? ` (${decision.reason})` : ''}`;
  return decision.userModified ? 'accepted with the user’s changes' : 'accepted';
}

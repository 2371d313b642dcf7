import * as vscode from 'vscode';
import type { EditDecision, EditProposal, Host, LogLevel, ScriptExit, ScriptRequest } from '../core/host';
import { ApprovedScripts } from './decisions/approvedScripts';
import type { DecisionBoard } from './decisions/decisionBoard';
import { editDraft } from './decisions/drafts';
import type { EditReview } from './editReview/editReview';
import { writeThroughEditor } from './editReview/workspaceText';
import { defaultPrompts, type UserPrompts } from './prompts';
import type { ScriptRunner } from './terminal/scriptRunner';
import type { ComputeExecutor } from '../node/compute/computeExecutor';

export interface ApprovalSettings {
  autoApproveEdits: boolean;
  autoRunScripts: boolean;
}

/** Reads the approval settings live, so turning them on or off takes effect during a run. */
function liveApprovalSettings(): ApprovalSettings {
  const c = vscode.workspace.getConfiguration('budgetml');
  return { autoApproveEdits: c.get<boolean>('autoApproveEdits') === true, autoRunScripts: c.get<boolean>('autoRunScripts') === true };
}

export interface VsCodeHostDeps {
  review: EditReview;
  scripts: ScriptRunner;
  channel: vscode.LogOutputChannel;
  /** where edits and script runs wait for the user's answer */
  decisions: DecisionBoard;
  settings?: () => ApprovalSettings;
}

/**
 * The Host port in VS Code: edits become reviewable diffs, scripts run in the integrated terminal.
 * Both wait on the decision board, so the sidebar, the commands and a notification can answer.
 */
export class VsCodeHost implements Host {
  /** what the host asks the user; replaceable so tests can answer */
  prompts: UserPrompts = defaultPrompts;
  /** replaceable so tests can simulate an untrusted workspace */
  isTrusted: () => boolean = () => vscode.workspace.isTrusted;
  /** the step the run is at (set by the run controller): decisions say which step asks */
  step = 0;

  /** Scripts run in the terminal (or on the run's compute backend), each once trusted and approved. */
  private readonly approvedScripts: ApprovedScripts;

  constructor(private readonly deps: VsCodeHostDeps) {
    this.approvedScripts = new ApprovedScripts(
      { runScript: (request, onOutput, signal) => this.runInTerminal(request, onOutput, signal) },
      {
        channel: deps.channel,
        decisions: deps.decisions,
        isTrusted: () => this.isTrusted(),
        autoRun: () => this.settings.autoRunScripts,
        step: () => this.step,
        declineReason: (command, token) => this.prompts.declineReason(command, token),
      },
    );
  }

  private get settings(): ApprovalSettings {
    return (this.deps.settings ?? liveApprovalSettings)();
  }

  async proposeEdit(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision> {
    const { review, channel, decisions } = this.deps;
    if (signal.aborted) return { accepted: false, reason: 'the run was stopped before the edit was reviewed' };
    if (this.settings.autoApproveEdits) {
      await writeThroughEditor(vscode.Uri.file(proposal.path), proposal.proposed);
      channel.info(`Applied the edit to ${proposal.relPath} without review (budgetml.autoApproveEdits)`);
      return { accepted: true, text: proposal.proposed, userModified: false };
    }
    channel.info(`Edit to ${proposal.relPath} waits for review`);
    let id: string | undefined;
    try {
      const decision = await review.review(proposal, signal, (target) => {
        id = decisions.post(editDraft(proposal, this.step), {
          answer: ({ choice, reason }) => (choice === 'accept' ? review.accept(target) : review.reject(target, reason)),
          open: () => review.reveal(target),
        });
      });
      channel.info(`Edit to ${proposal.relPath}: ${describeDecision(decision)}`);
      return decision;
    } finally {
      if (id) decisions.withdraw(id);
    }
  }

  runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    return this.approvedScripts.runScript(request, onOutput, signal);
  }

  private async runInTerminal(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    const { channel, scripts } = this.deps;
    channel.info(`Running ${request.display} in ${request.cwd}`);
    const result = await scripts.run(request, onOutput, signal);
    const how = result.timedOut ? 'hit the time limit' : result.cancelled ? 'was stopped' : `exited with ${result.exitCode}`;
    channel.info(`${request.display} ${how} (${result.via})`);
    return result;
  }

  /** Runs the scripts of the current run on a compute backend (SSH, SLURM); undefined: this machine. */
  useCompute(executor: ComputeExecutor | undefined): void {
    this.deps.scripts.remote = executor;
  }

  /** Where scripts run now, for the user. */
  get computeTarget(): string {
    return this.deps.scripts.remote?.describe() ?? vscode.l10n.t('this machine');
  }

  log(level: LogLevel, message: string): void {
    this.deps.channel[level](message);
  }
}

function describeDecision(decision: EditDecision): string {
  if (!decision.accepted) return `rejected${decision.reason ? ` (${decision.reason})` : ''}`;
  return decision.userModified ? 'accepted with the user’s changes' : 'accepted';
}

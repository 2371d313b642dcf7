import * as vscode from 'vscode';
import type { ScriptExecutor, ScriptExit, ScriptRequest } from '../../core/host';
import { askToRun, type RunAnswer } from './askToRun';
import type { DecisionBoard } from './decisionBoard';
import { runDraft } from './drafts';

export interface ApprovalDeps {
  channel: vscode.LogOutputChannel;
  decisions: DecisionBoard;
  /** read at each run: the workspace is trusted */
  isTrusted: () => boolean;
  /** read at each run: budgetml.autoRunScripts */
  autoRun: () => boolean;
  /** the step that asks, for the decision card */
  step: () => number;
  /** the reason box of a Decline */
  declineReason: (command: string, token: vscode.CancellationToken) => Promise<string | undefined>;
}

/**
 * Trust and confirmation around a script executor: in an untrusted workspace nothing runs; otherwise
 * each run waits for Run or Decline on the decision board (unless budgetml.autoRunScripts is on),
 * whatever backend then runs it.
 */
export class ApprovedScripts implements ScriptExecutor {
  constructor(
    private readonly inner: ScriptExecutor,
    private readonly deps: ApprovalDeps,
  ) {}

  async runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    const { channel } = this.deps;
    if (!this.deps.isTrusted()) {
      channel.warn(`Did not run ${request.display}: the workspace is not trusted`);
      return declined(
        'the workspace is not trusted, so BudgetML runs no scripts in it; the user can trust it with "Workspaces: Manage Workspace Trust"',
      );
    }
    if (!this.deps.autoRun()) {
      const answer = await this.confirm(request, signal);
      if (signal.aborted || !answer) return { exitCode: null, timedOut: false, cancelled: true };
      if (!answer.run) {
        channel.info(`The user declined to run ${request.display}${answer.reason ? `: ${answer.reason}` : ''}`);
        return declined(answer.reason ? `the user declined to run it: ${answer.reason}` : 'the user declined to run it');
      }
    }
    return this.inner.runScript(request, onOutput, signal);
  }

  /** Run / Decline, as a card on the decision board; undefined when the run stopped first. */
  private confirm(request: ScriptRequest, signal: AbortSignal): Promise<RunAnswer | undefined> {
    return askToRun(this.deps.decisions, runDraft(request, this.deps.step()), this.deps.declineReason, signal);
  }
}

function declined(reason: string): ScriptExit {
  return { exitCode: null, timedOut: false, cancelled: false, declined: true, declineReason: reason };
}

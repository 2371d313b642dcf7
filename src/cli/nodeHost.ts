import { Workspace, writeConfined } from '../core/workspace';
import { runTaggedProcess } from '../node/scriptProcess';
import type { EditDecision, EditProposal, Host, LogLevel, ScriptExit, ScriptRequest } from '../core/host';

/**
 * The headless host: edits are applied as proposed (a batch run has nobody to ask), scripts run as
 * child processes that end with everything they started (see src/node/scriptProcess.ts).
 */
export class NodeHost implements Host {
  constructor(private readonly logLine: (level: LogLevel, message: string) => void) {}

  async proposeEdit(proposal: EditProposal): Promise<EditDecision> {
    // written through the core's confined write: no link swapped in after the check is followed
    await writeConfined(new Workspace(proposal.root), proposal.relPath, proposal.proposed);
    return { accepted: true, text: proposal.proposed, userModified: false };
  }

  runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    return runProcess(request, onOutput, signal);
  }

  log(level: LogLevel, message: string): void {
    this.logLine(level, message);
  }
}

async function runProcess(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
  const end = await runTaggedProcess(request, onOutput, signal);
  if (end.startError) onOutput(`${end.startError}\n`);
  return { exitCode: end.exitCode, timedOut: end.timedOut, cancelled: end.cancelled };
}

import { Workspace, writeConfined } from '../core/workspace';
import type { EditDecision, EditProposal, Host, LogLevel, ScriptExecutor, ScriptExit, ScriptRequest } from '../core/host';
import { LocalExecutor } from '../node/compute/localExecutor';

/**
 * The headless host: edits are applied as proposed (a batch run has nobody to ask), scripts run on
 * the compute backend the settings name (this machine by default, see src/node/compute/).
 */
export class NodeHost implements Host {
  constructor(
    private readonly logLine: (level: LogLevel, message: string) => void,
    private readonly executor: ScriptExecutor = new LocalExecutor(),
  ) {}

  async proposeEdit(proposal: EditProposal): Promise<EditDecision> {
    // written through the core's confined write: no link swapped in after the check is followed
    await writeConfined(new Workspace(proposal.root), proposal.relPath, proposal.proposed);
    return { accepted: true, text: proposal.proposed, userModified: false };
  }

  runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    return this.executor.runScript(request, onOutput, signal);
  }

  log(level: LogLevel, message: string): void {
    this.logLine(level, message);
  }
}

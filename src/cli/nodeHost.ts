import { spawn } from 'node:child_process';
import { Workspace, writeConfined } from '../core/workspace';
import { endScript, newScriptTag, scriptEnv } from '../node/processTree';
import type { EditDecision, EditProposal, Host, LogLevel, ScriptExit, ScriptRequest } from '../core/host';

/**
 * The headless host: edits are applied as proposed (a batch run has nobody to ask), scripts run as
 * child processes in their own process group, marked so that a timeout, a cancellation or the script's
 * end also ends every process it started (see src/node/processTree.ts).
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

export function runProcess(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
  return new Promise((resolvePromise) => {
    if (signal.aborted) return resolvePromise({ exitCode: null, timedOut: false, cancelled: true });
    const tag = newScriptTag();
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: scriptEnv(request.env ?? process.env, tag),
    });
    let timedOut = false;
    let cancelled = false;
    let ending: Promise<void> | undefined;
    // the same sweep ends a timed-out or cancelled script and whatever a finished one left running
    const stop = () => (ending ??= endScript(child, tag));
    const timer = request.timeoutSec ? setTimeout(() => ((timedOut = true), stop()), request.timeoutSec * 1000) : undefined;
    const onAbort = () => ((cancelled = true), stop());
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    let settled = false;
    const finish = (exitCode: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolvePromise({ exitCode: timedOut || cancelled ? null : exitCode, timedOut, cancelled });
    };
    child.on('error', (error) => {
      onOutput(`could not start ${request.command}: ${error.message}\n`);
      finish(null);
    });
    // a background child may hold the output pipes open: end it when the script exits, so that they close
    child.on('exit', stop);
    child.on('close', (code) => void (ending ?? Promise.resolve()).then(() => finish(code)));
  });
}

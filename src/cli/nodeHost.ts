import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EditDecision, EditProposal, Host, LogLevel, ScriptExit, ScriptRequest } from '../core/host';

/** Seconds between asking a process to stop and killing it. */
const KILL_GRACE_MS = 5000;

/**
 * The headless host: edits are applied as proposed (a batch run has nobody to ask), scripts run as
 * child processes in their own process group so a timeout or cancellation ends the whole tree.
 */
export class NodeHost implements Host {
  constructor(private readonly logLine: (level: LogLevel, message: string) => void) {}

  async proposeEdit(proposal: EditProposal): Promise<EditDecision> {
    mkdirSync(dirname(proposal.path), { recursive: true });
    writeFileSync(proposal.path, proposal.proposed);
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
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    let timedOut = false;
    let cancelled = false;
    const stop = () => killTree(child.pid);
    const timer = request.timeoutSec ? setTimeout(() => ((timedOut = true), stop()), request.timeoutSec * 1000) : undefined;
    const onAbort = () => ((cancelled = true), stop());
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolvePromise({ exitCode: timedOut || cancelled ? null : exitCode, timedOut, cancelled });
    };
    child.on('error', (error) => {
      onOutput(`could not start ${request.command}: ${error.message}\n`);
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** SIGTERM to the process group, SIGKILL after a grace period. */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS).unref();
}

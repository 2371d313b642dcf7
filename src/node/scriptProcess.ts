import { spawn } from 'node:child_process';
import { endScript, newScriptTag, scriptEnv } from './processTree';

/** What to run: a program and its arguments in a folder, with a time limit and the environment it may see. */
export interface ProcessRequest {
  command: string;
  args: readonly string[];
  cwd: string;
  env?: Readonly<Record<string, string | undefined>>;
  timeoutSec?: number;
}

export interface ProcessEnd {
  /** null when the process was ended (timed out, cancelled, killed by a signal) or did not start */
  exitCode: number | null;
  /** the signal that ended it, when one did */
  endSignal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** why it did not start, when it did not */
  startError?: string;
}

/**
 * Runs a script as a child process in its own process group, marked so that a timeout, a cancellation or the
 * script's own end also ends every process it started (see processTree.ts). Output arrives as UTF-8 text.
 */
export function runTaggedProcess(request: ProcessRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ProcessEnd> {
  return new Promise((resolvePromise) => {
    if (signal.aborted) return resolvePromise({ exitCode: null, endSignal: null, timedOut: false, cancelled: true });
    const tag = newScriptTag();
    const child = spawn(request.command, [...request.args], {
      cwd: request.cwd,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: scriptEnv(request.env ?? process.env, tag),
      windowsHide: true,
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
    const finish = (end: Omit<ProcessEnd, 'timedOut' | 'cancelled'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolvePromise({ ...end, exitCode: timedOut || cancelled ? null : end.exitCode, timedOut, cancelled });
    };
    child.on('error', (error) =>
      finish({ exitCode: null, endSignal: null, startError: `could not start ${request.command}: ${error.message}` }),
    );
    // a background child may hold the output pipes open: end it when the script exits, so that they close
    child.on('exit', stop);
    child.on('close', (code, endSignal) => void (ending ?? Promise.resolve()).then(() => finish({ exitCode: code, endSignal })));
  });
}

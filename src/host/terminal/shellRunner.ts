import * as vscode from 'vscode';
import type { ScriptRequest } from '../../core/host';
import { endTagged, newScriptTag, SCRIPT_TAG_VAR, taggedPids } from '../../node/processTree';
import { EscapeStripper } from './ansi';
import { commandLineFor } from './shellQuote';
import { TERMINAL_NAME, type ScriptRun, type TerminalPath } from './types';

/** How long Ctrl+C gets to end a command before the terminal (and its process group) is closed. */
const INTERRUPT_GRACE_MS = 5000;
/** `execution.read()` may stay open after the command ended: wait this long for the rest, then stop reading. */
const READ_DRAIN_MS = 300;

/**
 * Runs a script in the "BudgetML" integrated terminal through shell integration. Returns undefined when
 * shell integration does not become active in time, so the caller can fall back to a pseudo-terminal;
 * after that first failure this path stays off for the session.
 */
export class ShellIntegrationPath implements TerminalPath {
  private terminal: vscode.Terminal | undefined;
  /** the folder the terminal was opened in (until shell integration reports its own cwd) */
  private openedIn: string | undefined;
  private unavailable = false;
  /**
   * The marker in the terminal's environment: every process started in it carries it, so what a script
   * left running (a background job, a `setsid` double fork) is ended when the script ends. The terminal
   * is reused, so it marks the terminal rather than one run; the shell itself is spared.
   */
  private tag = newScriptTag();
  /** the environment changes the open terminal was created with */
  private envFingerprint = '';

  constructor(
    private readonly waitMs: number,
    private readonly log: (message: string) => void,
  ) {}

  async run(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptRun | undefined> {
    if (this.unavailable) return undefined;
    const terminal = this.terminalFor(request.cwd, request.env);
    terminal.show(true);
    const shell = await waitForShellIntegration(terminal, this.waitMs, signal);
    if (signal.aborted) return { exitCode: null, timedOut: false, cancelled: true, via: 'shell-integration' };
    if (!shell) {
      this.log(`shell integration did not start within ${this.waitMs / 1000}s; scripts run in BudgetML's own terminal from now on`);
      this.unavailable = true;
      terminal.dispose();
      this.terminal = undefined;
      return undefined;
    }
    const shellType = terminal.state.shell ?? vscode.env.shell;
    if ((shell.cwd?.fsPath ?? this.openedIn) !== request.cwd) {
      await execute(terminal, shell.executeCommand(commandLineFor(shellType, 'cd', [request.cwd])), () => undefined, signal, undefined);
    }
    const line = commandLineFor(shellType, request.command, request.args);
    // the shell (and whatever wraps it) carries the marker too: spare what was there before the script
    const shellPid = await terminal.processId;
    const spared = [...taggedPids(this.tag), ...(shellPid === undefined ? [] : [shellPid])];
    try {
      return await execute(terminal, shell.executeCommand(line), onOutput, signal, request.timeoutSec);
    } finally {
      await endTagged(this.tag, { exclude: spared });
    }
  }

  dispose(): void {
    this.terminal?.dispose();
  }

  /**
   * The terminal, opened with the environment the core chose: what the core left out (the provider
   * keys) is removed from what the terminal would inherit. Another environment opens a new terminal.
   */
  private terminalFor(cwd: string, env: Record<string, string> | undefined): vscode.Terminal {
    const changes = environmentChanges(process.env, env);
    const fingerprint = JSON.stringify(changes);
    if (this.terminal && this.terminal.exitStatus === undefined && fingerprint === this.envFingerprint) return this.terminal;
    this.terminal?.dispose();
    this.tag = newScriptTag();
    this.envFingerprint = fingerprint;
    this.terminal = vscode.window.createTerminal({
      name: TERMINAL_NAME,
      cwd,
      env: { ...changes, [SCRIPT_TAG_VAR]: this.tag },
      iconPath: new vscode.ThemeIcon('beaker'),
    });
    this.openedIn = cwd;
    return this.terminal;
  }
}

/** What a terminal must change of the inherited environment to have `wanted`: null removes a variable. */
function environmentChanges(inherited: NodeJS.ProcessEnv, wanted: Record<string, string> | undefined): Record<string, string | null> {
  if (!wanted) return {};
  const changes: Record<string, string | null> = {};
  for (const name of Object.keys(inherited)) if (!(name in wanted)) changes[name] = null;
  for (const [name, value] of Object.entries(wanted)) if (inherited[name] !== value) changes[name] = value;
  return changes;
}

function waitForShellIntegration(
  terminal: vscode.Terminal,
  waitMs: number,
  signal: AbortSignal,
): Promise<vscode.TerminalShellIntegration | undefined> {
  if (terminal.shellIntegration) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve) => {
    const done = (value: vscode.TerminalShellIntegration | undefined) => {
      sub.dispose();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal === terminal) done(e.shellIntegration);
    });
    const timer = setTimeout(() => done(terminal.shellIntegration), waitMs);
    const onAbort = () => done(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Follows one command to its end: streams its output, stops it on abort or time limit. */
async function execute(
  terminal: vscode.Terminal,
  execution: vscode.TerminalShellExecution,
  onOutput: (chunk: string) => void,
  signal: AbortSignal,
  timeoutSec: number | undefined,
): Promise<ScriptRun> {
  const stream = execution.read();
  const subs: vscode.Disposable[] = [];
  let stopReason: 'cancelled' | 'timedOut' | undefined;
  const ended = new Promise<number | undefined>((resolve) => {
    subs.push(
      vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution === execution) resolve(e.exitCode);
      }),
      vscode.window.onDidCloseTerminal((t) => {
        if (t !== terminal) return;
        stopReason ??= 'cancelled';
        resolve(undefined);
      }),
    );
  });
  const stripper = new EscapeStripper();
  const reading = (async () => {
    for await (const chunk of stream) {
      const plain = stripper.push(chunk);
      if (plain) onOutput(plain);
    }
  })().catch(() => undefined);

  const stop = (reason: 'cancelled' | 'timedOut') => {
    if (stopReason) return;
    stopReason = reason;
    terminal.sendText('\x03', false);
    const force = setTimeout(() => terminal.dispose(), INTERRUPT_GRACE_MS);
    void ended.then(() => clearTimeout(force));
  };
  const onAbort = () => stop('cancelled');
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  const timer = timeoutSec ? setTimeout(() => stop('timedOut'), timeoutSec * 1000) : undefined;
  try {
    const exitCode = await ended;
    await Promise.race([reading, new Promise((r) => setTimeout(r, READ_DRAIN_MS))]);
    const rest = stripper.flush();
    if (rest) onOutput(rest);
    return {
      exitCode: stopReason ? null : (exitCode ?? null),
      timedOut: stopReason === 'timedOut',
      cancelled: stopReason === 'cancelled',
      via: 'shell-integration',
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
    for (const s of subs) s.dispose();
  }
}

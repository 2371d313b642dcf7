import * as vscode from 'vscode';
import type { ScriptExit, ScriptRequest } from '../../core/host';
import type { ComputeExecutor } from '../../node/compute/computeExecutor';
import { runTaggedProcess, type ProcessEnd } from '../../node/scriptProcess';
import { EscapeStripper } from './ansi';
import { TERMINAL_NAME, type ScriptRun, type TerminalPath } from './types';

/**
 * Runs a script as a child process of the extension host and shows it in a terminal backed by a
 * Pseudoterminal. Output and exit code come straight from the process, so they are always captured.
 */
export class PtyPath implements TerminalPath {
  private terminal: vscode.Terminal | undefined;

  /** `remote`: a compute backend (detached, SSH, SLURM) that runs the script; the terminal shows what it streams back. */
  async run(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal, remote?: ComputeExecutor): Promise<ScriptRun> {
    const pty = new ProcessPty(request, remote);
    this.terminal?.dispose();
    const terminal = vscode.window.createTerminal({
      name: TERMINAL_NAME,
      pty,
      iconPath: new vscode.ThemeIcon('beaker'),
    });
    this.terminal = terminal;
    terminal.show(true);
    try {
      return await pty.start(onOutput, signal);
    } finally {
      pty.finished();
    }
  }

  dispose(): void {
    this.terminal?.dispose();
  }
}

class ProcessPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private opened = false;
  private backlog: string[] = [];
  private running = false;
  private readonly cancel = new AbortController();

  constructor(
    private readonly request: ScriptRequest,
    private readonly remote?: ComputeExecutor,
  ) {}

  open(): void {
    this.opened = true;
    for (const text of this.backlog.splice(0)) this.writeEmitter.fire(text);
  }

  close(): void {
    // the user closed the terminal: end the process like Stop Task would
    this.stop();
  }

  handleInput(data: string): void {
    if (data === '\x03') this.stop();
  }

  async start(onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptRun> {
    const where = this.remote?.remote ? this.remote.describe() : this.request.cwd;
    this.show(`\x1b[2m${where}\x1b[0m\r\n\x1b[1m$ ${this.request.display}\x1b[0m\r\n`);
    const stripper = new EscapeStripper();
    const forward = (text: string) => {
      this.show(text.replace(/\r?\n/g, '\r\n'));
      const plain = stripper.push(text);
      if (plain) onOutput(plain);
    };
    this.running = true;
    const onAbort = () => this.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const ended = this.remote ? this.runRemote(this.remote, forward) : this.runHere(forward);
    const exit = await ended.finally(() => signal.removeEventListener('abort', onAbort));
    this.running = false;
    const rest = stripper.flush();
    if (rest) onOutput(rest);
    if (exit.startError) {
      onOutput(`${exit.startError}\n`);
      this.show(`${exit.startError}\r\n`);
    }
    this.show(`\r\n\x1b[2m${exit.note}\x1b[0m\r\n`);
    const { note: _note, startError: _startError, ...result } = exit;
    return { ...result, via: 'pseudoterminal' };
  }

  private async runHere(forward: (text: string) => void): Promise<ScriptExit & { note: string; startError?: string }> {
    const end = await runTaggedProcess(this.request, forward, this.cancel.signal);
    const exit = { exitCode: end.exitCode, timedOut: end.timedOut, cancelled: end.cancelled, note: noteOf(end) };
    return end.startError ? { ...exit, startError: end.startError } : exit;
  }

  private async runRemote(
    remote: ComputeExecutor,
    forward: (text: string) => void,
  ): Promise<ScriptExit & { note: string; startError?: string }> {
    const exit = await remote.runScript(this.request, forward, this.cancel.signal);
    if (exit.failure) this.show(`\r\n\x1b[31m${exit.failure}\x1b[0m`);
    const note = exit.timedOut
      ? vscode.l10n.t('time limit reached: the run was ended on {0}', remote.describe())
      : exit.cancelled
        ? vscode.l10n.t('stopped: the run was ended on {0}', remote.describe())
        : vscode.l10n.t('exit code {0}', String(exit.exitCode));
    return { ...exit, note };
  }

  /** The run is over: the terminal stays open to show the output until the next run replaces it. */
  finished(): void {
    this.running = false;
  }

  /** Stop Task, Ctrl+C or closing the terminal: the process tree ends and the run counts as cancelled. */
  private stop(): void {
    if (!this.running || this.cancel.signal.aborted) return;
    this.show(`\r\n\x1b[33m${vscode.l10n.t('stopping: ending the process tree')}\x1b[0m\r\n`);
    this.cancel.abort();
  }

  private show(text: string): void {
    if (this.opened) this.writeEmitter.fire(text);
    else this.backlog.push(text);
  }
}

function noteOf(end: ProcessEnd): string {
  if (end.startError) return vscode.l10n.t('not started');
  if (end.timedOut) return vscode.l10n.t('time limit reached: the process tree was ended');
  if (end.cancelled) return vscode.l10n.t('stopped: the process tree was ended');
  return end.endSignal ? vscode.l10n.t('ended by {0}', end.endSignal) : vscode.l10n.t('exit code {0}', String(end.exitCode));
}

import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import type { ScriptRequest } from '../../core/host';
import { endScript, newScriptTag, scriptEnv } from '../../node/processTree';
import { EscapeStripper } from './ansi';
import { TERMINAL_NAME, type ScriptRun, type TerminalPath } from './types';

/**
 * Runs a script as a child process of the extension host and shows it in a terminal backed by a
 * Pseudoterminal. Output and exit code come straight from the process, so they are always captured.
 */
export class PtyPath implements TerminalPath {
  private terminal: vscode.Terminal | undefined;

  async run(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptRun> {
    const pty = new ProcessPty(request);
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
  private child: ChildProcess | undefined;
  private stopReason: 'cancelled' | 'timedOut' | undefined;
  /** the marker in the environment of this run's processes */
  private readonly tag = newScriptTag();
  /** ending the process tree: after a stop, or when the script exited and may have left children */
  private ending: Promise<void> | undefined;

  constructor(private readonly request: ScriptRequest) {}

  open(): void {
    this.opened = true;
    for (const text of this.backlog.splice(0)) this.writeEmitter.fire(text);
  }

  close(): void {
    // the user closed the terminal: end the process like Stop Task would
    this.stop('cancelled');
  }

  handleInput(data: string): void {
    if (data === '\x03') this.stop('cancelled');
  }

  start(onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptRun> {
    const { command, args, cwd, timeoutSec } = this.request;
    this.show(`\x1b[2m${cwd}\x1b[0m\r\n\x1b[1m$ ${this.request.display}\x1b[0m\r\n`);
    return new Promise((resolve) => {
      const child = spawn(command, args, {
        cwd,
        env: scriptEnv(this.request.env ?? process.env, this.tag),
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      this.child = child;
      const stripper = new EscapeStripper();
      const forward = (decoder: StringDecoder) => (data: Buffer) => {
        const text = decoder.write(data);
        this.show(text.replace(/\r?\n/g, '\r\n'));
        const plain = stripper.push(text);
        if (plain) onOutput(plain);
      };
      child.stdout?.on('data', forward(new StringDecoder('utf8')));
      child.stderr?.on('data', forward(new StringDecoder('utf8')));
      const onAbort = () => this.stop('cancelled');
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
      const timer = timeoutSec ? setTimeout(() => this.stop('timedOut'), timeoutSec * 1000) : undefined;
      let settled = false;
      const settle = (exitCode: number | null, note: string) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (timer) clearTimeout(timer);
        const rest = stripper.flush();
        if (rest) onOutput(rest);
        this.show(`\r\n\x1b[2m${note}\x1b[0m\r\n`);
        resolve({
          exitCode,
          timedOut: this.stopReason === 'timedOut',
          cancelled: this.stopReason === 'cancelled',
          via: 'pseudoterminal',
        });
      };
      child.once('error', (err) => {
        const message = `could not start ${command}: ${err.message}\n`;
        onOutput(message);
        this.show(message.replace(/\n/g, '\r\n'));
        settle(null, 'not started');
      });
      // a background child may hold the output pipes open: end it when the script exits, so that they close
      child.once('exit', () => this.endTree(child));
      child.once('close', (code, sig) => {
        void (this.ending ?? Promise.resolve()).then(() =>
          settle(this.stopReason ? null : code, sig ? `ended by ${sig}` : `exit code ${code}`),
        );
      });
    });
  }

  /** The run is over: the terminal stays open to show the output until the next run replaces it. */
  finished(): void {
    this.child = undefined;
  }

  private stop(reason: 'cancelled' | 'timedOut'): void {
    if (!this.child || this.stopReason) return;
    this.stopReason = reason;
    this.show(`\r\n\x1b[33m${reason === 'timedOut' ? 'time limit reached' : 'stopping'}: ending the process tree\x1b[0m\r\n`);
    this.endTree(this.child);
  }

  private endTree(child: ChildProcess): void {
    this.ending ??= endScript(child, this.tag);
  }

  private show(text: string): void {
    if (this.opened) this.writeEmitter.fire(text);
    else this.backlog.push(text);
  }
}

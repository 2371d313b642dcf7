import type { ScriptRequest } from '../../core/host';
import type { ComputeExecutor } from '../../node/compute/computeExecutor';
import { Disposable } from '../disposable';
import { PtyPath } from './ptyRunner';
import { ShellIntegrationPath } from './shellRunner';
import type { ScriptRun } from './types';

export interface ScriptRunnerOptions {
  /** how long to wait for shell integration before falling back (ms) */
  shellIntegrationWaitMs: number;
  log: (message: string) => void;
}

/**
 * Runs scripts in the integrated terminal: through shell integration when the shell offers it,
 * otherwise in a pseudo-terminal over a child process. Either way output and exit code are captured.
 */
export class ScriptRunner extends Disposable {
  /** skip shell integration and always use the pseudo-terminal */
  forcePseudoterminal = false;
  private readonly shell: ShellIntegrationPath;
  private readonly pty: PtyPath;

  constructor(options: ScriptRunnerOptions) {
    super();
    this.shell = this._register(new ShellIntegrationPath(options.shellIntegrationWaitMs, options.log));
    this.pty = this._register(new PtyPath());
  }

  /** the compute backend of the current run (detached on this machine, SSH, SLURM); unset: the terminal's shell */
  remote: ComputeExecutor | undefined;

  async run(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptRun> {
    if (this.remote) return this.pty.run(request, onOutput, signal, this.remote);
    if (!this.forcePseudoterminal) {
      const result = await this.shell.run(request, onOutput, signal);
      if (result) return result;
    }
    return this.pty.run(request, onOutput, signal);
  }
}

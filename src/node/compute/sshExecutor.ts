import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger, ScriptExecutor, ScriptExit, ScriptRequest } from '../../core/host';
import { gpuFromResult, NVIDIA_SMI_COMMAND } from './gpuProbe';
import { lastLine, runCommand, shellWord } from './runCommand';

/** A server reached with the system's ssh: an alias of the user's ssh config, and the folder the workspace is copied to. */
export interface SshTarget {
  host: string;
  configFile?: string;
  remoteDir: string;
  python?: string;
}

export interface SshOptions {
  log: Logger['log'];
  /** the interpreter the core names; runs of it use the remote's interpreter instead */
  localPython: string;
  /** names never copied either way (the run folder, .git) */
  exclude: readonly string[];
  /** files larger than this stay on the remote (checkpoints) */
  maxSyncBackMb?: number;
  /** the workspace: it is copied to `remoteDir`; a script run in another folder (the baseline's copy) gets a folder beside it */
  workspace: string;
  /** the run folder (a baseline's copy of the workspace lives in it) */
  runDir: string;
  /** runs the task's scoring: the hidden scoring scripts never leave this machine */
  local: ScriptExecutor;
}

/** How long the remote tree gets between TERM and KILL, and the local ssh after that. */
const GRACE_MS = 5_000;
const PGID_LINE = /^BUDGETML_PGID=(\d+)\n/;

/**
 * Runs scripts on a server over SSH: the workspace is copied there with rsync before each run, the
 * script runs in its own process group with its output streamed back, and what it wrote comes back
 * after it (files newer here are kept, large ones stay there). Stop ends the remote tree over a
 * second connection, as closing a connection without a terminal would leave it running.
 * The system's ssh and rsync are used so the user's ssh config, keys, agent and jump hosts just work.
 */
export class SshExecutor implements ScriptExecutor {
  constructor(
    private readonly target: SshTarget,
    private readonly options: SshOptions,
  ) {}

  async runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    if (request.purpose === 'eval') return this.options.local.runScript(request, onOutput, signal);
    if (signal.aborted) return { exitCode: null, timedOut: false, cancelled: true };
    const remoteDir = this.remoteDirOf(request.cwd);
    const up = await this.sync('up', request.cwd, remoteDir);
    if (up) return { exitCode: null, timedOut: false, cancelled: false, failure: up };
    const gpu = runCommand('ssh', [...this.sshArgs(), this.target.host, NVIDIA_SMI_COMMAND], { timeoutMs: 30_000 }).then(gpuFromResult);
    const exit = { ...(await this.execute(request, remoteDir, onOutput, signal)), gpu: await gpu };
    const back = this.mayWrite(request.cwd) ? await this.sync('back', request.cwd, remoteDir) : undefined;
    if (back) this.options.log('warn', back);
    return exit;
  }

  /** Where scripts run, for the user. */
  readonly remote = true;

  describe(): string {
    return `${this.target.host}:${this.target.remoteDir}`;
  }

  /**
   * One connection carries the copies, the run and a stop (OpenSSH multiplexing, kept a minute after
   * the last use), so each script run pays for the handshake once at most.
   */
  private sshArgs(): string[] {
    const config = this.target.configFile ? ['-F', this.target.configFile] : [];
    const shared = ['-o', 'ControlMaster=auto', '-o', `ControlPath=${path.join(controlDir(), '%C')}`, '-o', 'ControlPersist=60'];
    return [...config, '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', ...shared];
  }

  /** Copies the workspace to the remote ('up') or what the script wrote back ('back'); a failure in one line. */
  private async sync(direction: 'up' | 'back', localDir: string, remoteDir: string): Promise<string | undefined> {
    const remote = `${this.target.host}:${withSlash(remoteDir)}`;
    const local = withSlash(localDir);
    const ssh = ['ssh', ...this.sshArgs()].map(shellWord).join(' ');
    const common = ['-a', '--safe-links', '-e', ssh, ...this.options.exclude.map((name) => `--exclude=/${name}`)];
    const args =
      direction === 'up'
        ? [...common, `--rsync-path=mkdir -p ${shellWord(remoteDir)} && rsync`, local, remote]
        : [...common, '--update', `--max-size=${this.options.maxSyncBackMb ?? 100}m`, remote, local];
    const result = await runCommand('rsync', args, { timeoutMs: 30 * 60_000 });
    if (result.exitCode === 0) return undefined;
    const what = direction === 'up' ? `copying the workspace to ${remote}` : `copying the outputs back from ${remote}`;
    return `${what} failed (rsync exit ${result.exitCode ?? 'none'}): ${lastLine(result)}`;
  }

  /** Runs the script on the remote and waits for it; the first line it prints is its process group. */
  private execute(request: ScriptRequest, remoteDir: string, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    const command = [this.remoteCommand(request.command), ...request.args.map((a) => this.remoteArg(a, request.cwd))];
    const script = `cd ${shellWord(remoteDir)} && echo BUDGETML_PGID=$$ && PYTHONUNBUFFERED=1 exec ${command.map(shellWord).join(' ')}`;
    const child = spawn('ssh', [...this.sshArgs(), this.target.host, script], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve) => {
      let pgid: string | undefined;
      let head = '';
      let lastError = '';
      let timedOut = false;
      let cancelled = false;
      const end = () => void this.endRemote(pgid, child);
      const timer = request.timeoutSec ? setTimeout(() => ((timedOut = true), end()), request.timeoutSec * 1000) : undefined;
      const onAbort = () => ((cancelled = true), end());
      signal.addEventListener('abort', onAbort, { once: true });
      // stopped while the workspace was being copied: ended as soon as its process group is known
      if (signal.aborted) cancelled = true;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        if (pgid !== undefined) return onOutput(chunk);
        head += chunk;
        const match = PGID_LINE.exec(head);
        if (!match) return;
        pgid = match[1];
        if (cancelled || timedOut) end();
        const rest = head.slice(match[0].length);
        if (rest) onOutput(rest);
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        lastError = chunk.trim().split('\n').at(-1) ?? lastError;
        onOutput(chunk);
      });
      child.on('error', (error) => finish(null, `ssh could not be started: ${error.message}`));
      child.on('close', (code) => finish(code));
      const finish = (code: number | null, failure?: string) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const stopped = timedOut || cancelled;
        const dropped = !stopped && code === 255;
        const why = failure ?? (dropped ? this.connectionFailure(pgid !== undefined, lastError) : undefined);
        resolve({ exitCode: stopped || dropped ? null : code, timedOut, cancelled, ...(why ? { failure: why } : {}) });
      };
    });
  }

  private connectionFailure(started: boolean, lastError: string): string {
    const when = started ? 'the connection to' : 'could not connect to';
    return `${when} ${this.target.host} ${started ? 'dropped' : ''} (ssh exit 255)${lastError ? `: ${lastError}` : ''}`.replace('  ', ' ');
  }

  /** Ends the remote process group (TERM, then KILL) over a second connection, then the local ssh. */
  private async endRemote(pgid: string | undefined, child: ReturnType<typeof spawn>): Promise<void> {
    if (pgid === undefined) return; // not started yet: ended as soon as its group is known
    const signalGroup = (sig: string) =>
      runCommand('ssh', [...this.sshArgs(), this.target.host, `kill -${sig} -- -${pgid} 2>/dev/null; true`], { timeoutMs: 30_000 });
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('close', () => resolve())));
    await signalGroup('TERM');
    if (await within(exited, GRACE_MS)) return;
    await signalGroup('KILL');
    if (!(await within(exited, GRACE_MS))) child.kill('SIGKILL');
  }

  /** Outputs come back only into the workspace or the run folder: nothing is written anywhere else. */
  private mayWrite(localDir: string): boolean {
    return [this.options.workspace, this.options.runDir].some((root) => {
      const rel = path.relative(root, localDir);
      return !rel.startsWith('..') && !path.isAbsolute(rel);
    });
  }

  /** The remote folder of a local one: the workspace's is `remoteDir`, another's sits beside it under its own name. */
  private remoteDirOf(localDir: string): string {
    if (path.resolve(localDir) === path.resolve(this.options.workspace)) return this.target.remoteDir;
    return `${this.target.remoteDir.replace(/\/+$/, '')}.${path.basename(localDir).replace(/[^\w.-]/g, '_')}`;
  }

  private remoteCommand(command: string): string {
    return command === this.options.localPython ? (this.target.python ?? 'python3') : command;
  }

  /** A path under the local folder names the same file in the remote folder. */
  private remoteArg(arg: string, localDir: string): string {
    if (!path.isAbsolute(arg)) return arg;
    const rel = path.relative(localDir, arg);
    // the remote command runs in the remote folder: the path relative to it names the copy
    return rel.startsWith('..') || path.isAbsolute(rel) ? arg : rel.split(path.sep).join('/') || '.';
  }
}

/** The folder of the shared connections' sockets: this user's only. */
function controlDir(): string {
  const dir = path.join(os.tmpdir(), `budgetml-ssh-${os.userInfo().uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function withSlash(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}

function within(done: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void done.then(() => (clearTimeout(timer), resolve(true)));
  });
}

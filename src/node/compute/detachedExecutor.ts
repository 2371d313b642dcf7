import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ScriptExecutor, ScriptExit, ScriptRequest } from '../../core/host';
import { endTagged, newScriptTag, scriptEnv, taggedPids } from '../processTree';
import { Attachments } from './attachments';
import { FileTail } from './fileTail';
import { localGpu } from './gpuProbe';

/** A detached script run as noted in the run folder. */
interface DetachedRun {
  pid: number;
  tag: string;
  startedAt: number;
  outputFile: string;
  exitFile: string;
}

/** The first reads come quickly (most scripts are short), later ones every half second. */
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 500;
/** A script whose output file grows beyond this is ended: the run folder must not fill the disk. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Runs scripts on this machine in their own session, their output written to a file in the run folder
 * and their exit code to another, so a script outlives the process that started it: after a crash, a
 * resumed run that asks for the same script follows it (or reads the result of one that finished
 * meanwhile) instead of starting it twice. Stop and the time limit end every process of the script.
 */
export class DetachedExecutor implements ScriptExecutor {
  private readonly attachments: Attachments<DetachedRun>;

  /**
   * `leaving`: the process that follows the scripts is going away (the window reloads): following
   * stops and the script runs on, noted for the resume. `maxOutputBytes`: a flood is ended there.
   */
  constructor(
    private readonly dir: string,
    private readonly options: { leaving?: AbortSignal; maxOutputBytes?: number } = {},
  ) {
    this.attachments = new Attachments(path.join(dir, 'attached'));
  }

  readonly remote = false;

  describe(): string {
    return 'this machine';
  }

  async runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    if (signal.aborted) return { exitCode: null, timedOut: false, cancelled: true };
    const key = Attachments.keyOf(request);
    const gpu = localGpu(request.env);
    const run = (await this.runningOrDone(key)) ?? (await this.start(request, key));
    const exit = await this.follow(run, request, onOutput, signal);
    if (this.options.leaving?.aborted) return exit; // still running: the resume follows it
    await this.attachments.clear(key);
    return { ...exit, gpu: await gpu };
  }

  private async start(request: ScriptRequest, key: string): Promise<DetachedRun> {
    const base = path.join(this.dir, `${Date.now()}-${key}`);
    await fs.mkdir(this.dir, { recursive: true });
    const run = { tag: newScriptTag(), startedAt: Date.now(), outputFile: `${base}.out`, exitFile: `${base}.exit`, pid: -1 };
    // noted before it starts: a crash right after the start still finds it (by its marker, the pid is not known yet)
    await this.attachments.note(key, run);
    // the shell writes the exit code once the script ends, whoever is watching by then
    const wrapper = '"$@" > "$0.out" 2>&1; echo $? > "$0.exit.tmp" && mv "$0.exit.tmp" "$0.exit"';
    const child = spawn('/bin/sh', ['-c', wrapper, base, request.command, ...request.args], {
      cwd: request.cwd,
      detached: true,
      stdio: 'ignore',
      env: scriptEnv(request.env ?? process.env, run.tag),
    });
    child.unref();
    const noted = { ...run, pid: child.pid ?? -1 };
    await this.attachments.note(key, noted);
    return noted;
  }

  /** The run noted for this request, unless it never got to start (no output, no process). */
  private async runningOrDone(key: string): Promise<DetachedRun | undefined> {
    const run = await this.attachments.find(key);
    if (!run) return undefined;
    const started = await fs.stat(run.outputFile).then(
      () => true,
      () => false,
    );
    return started || isRunning(run) ? run : undefined;
  }

  /** Tails the output until the exit code is written or the script is gone; stop, the time limit and a flood end it. */
  private async follow(
    run: DetachedRun,
    request: ScriptRequest,
    onOutput: (chunk: string) => void,
    signal: AbortSignal,
  ): Promise<ScriptExit> {
    const tail = new FileTail(run.outputFile);
    const deadline = request.timeoutSec ? run.startedAt + request.timeoutSec * 1000 : Infinity;
    for (let poll = FIRST_POLL_MS; ; poll = Math.min(MAX_POLL_MS, poll * 2)) {
      await tail.read(onOutput);
      const code = await exitCodeOf(run.exitFile);
      if (code !== undefined) {
        await endTagged(run.tag); // what it left running in the background
        return { exitCode: code, timedOut: false, cancelled: false };
      }
      if (this.options.leaving?.aborted) return { exitCode: null, timedOut: false, cancelled: true };
      const maxOutputBytes = this.options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
      if (tail.bytesRead > maxOutputBytes) {
        await endRun(run);
        const mb = Math.round(maxOutputBytes / 2 ** 20);
        return { exitCode: null, timedOut: false, cancelled: false, failure: `it printed more than ${mb} MB and was ended` };
      }
      const stopped = signal.aborted ? 'cancelled' : Date.now() > deadline ? 'timedOut' : undefined;
      if (stopped) {
        await endRun(run);
        await tail.read(onOutput);
        return { exitCode: null, timedOut: stopped === 'timedOut', cancelled: stopped === 'cancelled' };
      }
      if (!isRunning(run)) {
        await tail.read(onOutput);
        const late = await exitCodeOf(run.exitFile);
        return late !== undefined
          ? { exitCode: late, timedOut: false, cancelled: false }
          : { exitCode: null, timedOut: false, cancelled: false, failure: 'the script was ended from outside the run' };
      }
      await new Promise((resolve) => setTimeout(resolve, poll));
    }
  }
}

async function exitCodeOf(file: string): Promise<number | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  const code = text === undefined ? NaN : Number.parseInt(text.trim(), 10);
  return Number.isInteger(code) ? code : undefined;
}

/** Whether the script still runs: its shell by pid when known, else any process carrying its marker. */
function isRunning(run: DetachedRun): boolean {
  return run.pid > 0 ? isAlive(run.pid) : taggedPids(run.tag).length > 0;
}

/** Whether the process runs (a zombie left unreaped by an init-less container does not). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readProcStat(pid);
  return stat === undefined || !/^\d+ \(.*\) [ZX]/.test(stat);
}

function readProcStat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Ends the script's process group and every process that carries its marker. */
async function endRun(run: DetachedRun): Promise<void> {
  try {
    if (run.pid > 0) process.kill(-run.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await endTagged(run.tag);
}

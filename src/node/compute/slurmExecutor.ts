import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger, ScriptExecutor, ScriptExit, ScriptRequest } from '../../core/host';
import { gpuFromResult, NVIDIA_SMI_COMMAND } from './gpuProbe';
import { lastLine, runCommand, shellWord, type CommandResult } from './runCommand';
import { Attachments } from './attachments';
import { FileTail } from './fileTail';
import { jobEnd, parseJobState, parseSacct, type JobState } from './slurmState';

export interface SlurmSettings {
  partition?: string;
  sbatchArgs: readonly string[];
  pollSec: number;
}

export interface SlurmOptions {
  log: Logger['log'];
  /** where job output files are written: on the file system the compute nodes share */
  jobsDir: string;
}

/** A submitted job as noted in the run folder. */
interface NotedJob {
  jobId: string;
  outputFile: string;
}

/** Reads of a job's state that may fail in a row before the run gives up on it. */
const MAX_UNREADABLE = 5;

/**
 * Runs each script as one SLURM job (`sbatch`), the workspace read in place on the shared file system:
 * the job's output file is tailed while it runs, its state and exit code read with `scontrol show job`
 * (`sacct` once the controller has forgotten it), a pending reason reported, `scancel` on stop or at
 * the time limit. Python runs unbuffered so the output arrives as it is printed.
 */
export class SlurmExecutor implements ScriptExecutor {
  private jobs = 0;
  private readonly attachments: Attachments<NotedJob>;

  constructor(
    private readonly settings: SlurmSettings,
    private readonly options: SlurmOptions,
  ) {
    this.attachments = new Attachments(path.join(options.jobsDir, 'attached'));
  }

  readonly remote = true;

  describe(): string {
    return `SLURM${this.settings.partition ? ` (partition ${this.settings.partition})` : ''}`;
  }

  async runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    if (signal.aborted) return { exitCode: null, timedOut: false, cancelled: true };
    const key = Attachments.keyOf(request);
    const job = (await this.attachments.find(key)) ?? (await this.submitNoted(request, key));
    if ('failure' in job) return { exitCode: null, timedOut: false, cancelled: false, failure: job.failure };
    const exit = await this.follow(job.jobId, job.outputFile, request, onOutput, signal);
    await this.attachments.clear(key);
    return exit;
  }

  /** Submits the job and notes it, so a resumed run follows it instead of submitting it again. */
  private async submitNoted(request: ScriptRequest, key: string): Promise<NotedJob | { failure: string }> {
    await fs.mkdir(this.options.jobsDir, { recursive: true });
    const outputFile = path.join(this.options.jobsDir, `job-${Date.now()}-${++this.jobs}.out`);
    const submitted = await this.submit(request, outputFile);
    if ('failure' in submitted) return submitted;
    this.options.log('info', `Submitted ${request.display} as SLURM job ${submitted.jobId}`);
    const job = { jobId: submitted.jobId, outputFile };
    await this.attachments.note(key, job);
    return job;
  }

  private async submit(request: ScriptRequest, outputFile: string): Promise<{ jobId: string } | { failure: string }> {
    const { partition, sbatchArgs } = this.settings;
    const minutes = request.timeoutSec ? Math.ceil(request.timeoutSec / 60) + 1 : undefined;
    const args = [
      '--parsable',
      `--job-name=budgetml-${path.basename(request.args[0] ?? request.command)}`,
      `--chdir=${request.cwd}`,
      `--output=${outputFile}`,
      '--export=ALL',
      ...(partition ? [`--partition=${partition}`] : []),
      ...(minutes ? [`--time=${minutes}`] : []),
      ...sbatchArgs,
      // the job first notes the GPUs it was given, then becomes the script
      `--wrap={ ${NVIDIA_SMI_COMMAND}; echo "${GPU_EXIT}$?"; } > ${shellWord(gpuFile(outputFile))} 2>&1; exec ${unbuffered(request).map(shellWord).join(' ')}`,
    ];
    const env = { ...(request.env ?? process.env), PYTHONUNBUFFERED: '1' };
    const result = await runCommand('sbatch', args, { env, cwd: request.cwd, timeoutMs: 60_000 });
    const jobId = result.stdout.trim().split(';')[0];
    if (result.exitCode === 0 && /^\d+$/.test(jobId)) return { jobId };
    return { failure: `sbatch did not take the job: ${lastLine(result)}` };
  }

  /** Tails the output and polls the state until the job ends; stop and the time limit cancel it. */
  private async follow(
    jobId: string,
    outputFile: string,
    request: ScriptRequest,
    onOutput: (chunk: string) => void,
    signal: AbortSignal,
  ): Promise<ScriptExit> {
    const tail = new FileTail(outputFile);
    const deadline = request.timeoutSec ? Date.now() + request.timeoutSec * 1000 : Infinity;
    let timedOut = false;
    let cancelled = false;
    let unreadable = 0;
    let reason = '';
    for (;;) {
      await tail.read(onOutput);
      const state = await this.state(jobId);
      unreadable = state ? 0 : unreadable + 1;
      if (state && state.done) {
        await tail.read(onOutput);
        return { ...jobEnd(state, { timedOut, cancelled }), ...(await jobGpu(outputFile)) };
      }
      if (unreadable >= MAX_UNREADABLE) {
        return { exitCode: null, timedOut, cancelled, failure: `the state of SLURM job ${jobId} could not be read` };
      }
      if (state?.name === 'PENDING' && state.reason !== reason) {
        reason = state.reason;
        this.options.log('info', `SLURM job ${jobId} is waiting: ${state.reason}`);
      }
      if (!timedOut && !cancelled && (signal.aborted || Date.now() > deadline)) {
        if (signal.aborted) cancelled = true;
        else timedOut = true;
        await runCommand('scancel', [jobId], { timeoutMs: 30_000 });
      }
      await sleep(this.settings.pollSec * 1000, signal, cancelled || timedOut);
    }
  }

  private async state(jobId: string): Promise<JobState | undefined> {
    const shown = await runCommand('scontrol', ['show', 'job', jobId, '-o'], { timeoutMs: 30_000 });
    if (shown.exitCode === 0) return parseJobState(shown.stdout);
    const accounted = await runCommand('sacct', ['-j', jobId, '-n', '-P', '-X', '-o', 'State,ExitCode,Reason'], { timeoutMs: 30_000 });
    return accounted.exitCode === 0 ? parseSacct(accounted.stdout) : undefined;
  }
}

const GPU_EXIT = 'BUDGETML_GPU_EXIT=';

function gpuFile(outputFile: string): string {
  return `${outputFile}.gpu`;
}

/** What nvidia-smi said inside the job (nothing when the job never started). */
async function jobGpu(outputFile: string): Promise<Pick<ScriptExit, 'gpu'>> {
  const text = await fs.readFile(gpuFile(outputFile), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const at = text.lastIndexOf(GPU_EXIT);
  const exitCode = at < 0 ? null : Number(text.slice(at + GPU_EXIT.length).trim());
  const result: CommandResult = { exitCode, stdout: at < 0 ? text : text.slice(0, at), stderr: '' };
  return { gpu: gpuFromResult(result) };
}

/** The command with `-u` for a Python interpreter, so its output is not block-buffered into the job's file. */
function unbuffered(request: ScriptRequest): string[] {
  const python = /(^|\/)python[\d.]*$/.test(request.command) && request.args[0] !== '-u';
  return [request.command, ...(python ? ['-u'] : []), ...request.args];
}

/** Waits between polls; a stop cuts the wait short (unless the job is already being cancelled). */
function sleep(ms: number, signal: AbortSignal, ignoreAbort: boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    if (!ignoreAbort) signal.addEventListener('abort', done, { once: true });
  });
}

import type { ScriptExit } from '../../core/host';

/** What SLURM says about a job. */
export interface JobState {
  name: string;
  /** why it waits or ended, as SLURM names it ('None' when there is nothing to say) */
  reason: string;
  exitCode: number;
  /** the signal that ended the job's script (0: none) */
  endSignal: number;
  done: boolean;
}

const ENDED = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'REVOKED',
  'SPECIAL_EXIT',
]);

/** The state in `scontrol show job <id> -o` (one line of Key=Value pairs). */
export function parseJobState(line: string): JobState | undefined {
  const name = /\bJobState=(\S+)/.exec(line)?.[1];
  if (!name) return undefined;
  const exit = /\bExitCode=(\d+):(\d+)/.exec(line);
  const reason = /\bReason=(\S+)/.exec(line)?.[1] ?? 'None';
  return state(name, reason, exit);
}

/** The state in `sacct -n -P -X -o State,ExitCode,Reason` ("CANCELLED by 0|0:15|None"). */
export function parseSacct(text: string): JobState | undefined {
  const line = text.split('\n').find((l) => l.includes('|'));
  if (!line) return undefined;
  const [stateText, exitText, reason] = line.split('|');
  const name = stateText.trim().split(/\s+/)[0];
  if (!name) return undefined;
  return state(name, reason?.trim() || 'None', /(\d+):(\d+)/.exec(exitText ?? ''));
}

function state(name: string, reason: string, exit: RegExpExecArray | null): JobState {
  return { name, reason, exitCode: Number(exit?.[1] ?? 0), endSignal: Number(exit?.[2] ?? 0), done: ENDED.has(name) };
}

/** How an ended job counts for the run; `stopped` says whether the run itself cancelled it. */
export function jobEnd(job: JobState, stopped: { timedOut: boolean; cancelled: boolean }): ScriptExit {
  const { timedOut, cancelled } = stopped;
  if (timedOut || cancelled) return { exitCode: null, timedOut, cancelled };
  if (job.name === 'COMPLETED' || (job.name === 'FAILED' && job.endSignal === 0)) return { exitCode: job.exitCode, timedOut, cancelled };
  return { exitCode: null, timedOut, cancelled, failure: failureOf(job) };
}

function failureOf(job: JobState): string {
  switch (job.name) {
    case 'CANCELLED':
      return 'the SLURM job was cancelled outside the run (scancel or an administrator)';
    case 'TIMEOUT':
      return 'SLURM ended the job at its time limit (raise it with --time in compute.slurm.sbatchArgs)';
    case 'OUT_OF_MEMORY':
      return 'SLURM ended the job: it used more memory than it asked for (raise --mem in compute.slurm.sbatchArgs)';
    case 'FAILED':
      return `the SLURM job's script was ended by signal ${job.endSignal}`;
    default:
      return `the SLURM job ended ${job.name}${job.reason !== 'None' ? ` (${job.reason})` : ''}`;
  }
}

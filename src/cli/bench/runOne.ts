import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runState, type PlannedRun } from './benchPlan';

/** How the bench starts `budgetml run`: this process's own program and entry (node dist/cli.js, or tsx on the source). */
export interface CliCommand {
  command: string;
  args: string[];
}

export function ownCli(): CliCommand {
  return { command: process.execPath, args: [...process.execArgv, process.argv[1]] };
}

export interface RunLimits {
  /** USD this run may spend (the configuration's budget or less: what is left of the bench's) */
  budget?: number;
  replay?: string;
}

/** Names left out of a task's fresh copy. */
const NOT_COPIED = new Set(['.budgetml', '.git', 'node_modules', '__pycache__']);

/**
 * One bench run as an ordinary `budgetml run` in its own process and process group (Ctrl-C reaches it
 * once, through the bench): on a fresh copy of the task (in the run folder, under the task's name), or resumed from its folder. Its output goes
 * to bench.log in the run folder; its wall time to bench-run.json. Resolves with the exit code.
 */
export function runOne(run: PlannedRun, cli: CliCommand, limits: RunLimits, signal: AbortSignal): Promise<number | null> {
  const resume = runState(run) === 'resumable';
  // the copy keeps the task's name: MLAgentBench's lower-is-better list knows tasks by their folder's name
  const copy = join(run.dir, run.task);
  if (!resume) {
    mkdirSync(run.dir, { recursive: true });
    if (!existsSync(copy))
      cpSync(run.taskDir, copy, { recursive: true, verbatimSymlinks: true, filter: (src) => !NOT_COPIED.has(basenameOf(src)) });
  }
  const args = [...cli.args, 'run', copy, '--config', run.configFile, '--out', run.dir, '--json', '--quiet'];
  if (resume) args.push('--resume');
  if (limits.budget !== undefined) args.push('--budget', limits.budget.toFixed(6));
  if (limits.replay) args.push('--replay', limits.replay);
  const log = createWriteStream(join(run.dir, 'bench.log'), { flags: 'a' });
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cli.command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    child.stderr.pipe(log);
    // the run itself is told, not its process group: it stops its scripts and model calls cleanly
    const stop = () => child.pid && interrupt(child.pid);
    signal.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => {
      log.end(`could not start budgetml run: ${error.message}\n`);
      resolve(null);
    });
    child.on('close', (code) => {
      signal.removeEventListener('abort', stop);
      const ended = Date.now();
      writeFileSync(
        join(run.dir, 'bench-run.json'),
        JSON.stringify({ startedAt: started, endedAt: ended, wallSec: (ended - started) / 1000, exitCode: code }),
      );
      log.end();
      resolve(code);
    });
  });
}

function interrupt(pid: number): void {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    // already ended
  }
}

function basenameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastLine, runCommand, shellWord } from '../../node/compute/runCommand';
import { UsageError } from '../args';
import { runState, type PlannedRun } from './benchPlan';
import { runOne, type CliCommand, type RunLimits } from './runOne';
import { spentBy, type PoolOptions } from './runPool';

/** What one array task needs: its run, its limits, and how to start `budgetml run`. */
interface ArrayPlan {
  cli: CliCommand;
  runs: { run: PlannedRun; limits: RunLimits }[];
}

const POLL_MS = 2000;

/**
 * The bench's runs as one SLURM job array: one array task per run not yet finished, `parallel` the
 * array's throttle (%K). Each task runs `budgetml bench-run <plan> <index>` (one ordinary run) on
 * the cluster; the bench waits for the array and reads the runs' folders, which the nodes share.
 * The bench's budget is split evenly between the runs, so it is never passed in total.
 */
export async function runJobArray(plan: readonly PlannedRun[], options: PoolOptions & { out: string }, signal: AbortSignal): Promise<void> {
  const pending = plan.filter((run) => runState(run) !== 'finished');
  if (pending.length === 0) return;
  const left = options.budget === undefined ? undefined : Math.max(0, options.budget - spentBy(plan));
  const share = left === undefined ? undefined : left / pending.length;
  const arrayPlan: ArrayPlan = {
    cli: options.cli,
    runs: pending.map((run) => ({
      run,
      limits: { budget: share === undefined ? undefined : Math.min(run.budgetUsd, share), replay: options.replay },
    })),
  };
  const dir = join(options.out, 'array');
  mkdirSync(dir, { recursive: true });
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(arrayPlan, null, 1));
  const command = [options.cli.command, ...options.cli.args, 'bench-run', planFile].map(shellWord).join(' ');
  const submitted = await runCommand('sbatch', [
    '--parsable',
    `--array=0-${pending.length - 1}%${options.parallel}`,
    '--job-name=budgetml-bench',
    `--output=${join(dir, '%a.log')}`,
    `--chdir=${process.cwd()}`,
    '--export=ALL',
    `--wrap=exec ${command} "$SLURM_ARRAY_TASK_ID"`,
  ]);
  const jobId = submitted.stdout.trim().split(';')[0];
  if (submitted.exitCode !== 0 || !/^\d+$/.test(jobId)) throw new UsageError(`sbatch did not take the job array: ${lastLine(submitted)}`);
  await follow(jobId, plan, options, signal);
}

/** Waits for the array to leave the queue, reporting the runs done; a stop interrupts the runs (SIGINT) and waits for them. */
async function follow(jobId: string, plan: readonly PlannedRun[], options: PoolOptions, signal: AbortSignal): Promise<void> {
  let interrupted = false;
  for (;;) {
    const queued = await runCommand('squeue', ['-h', '-j', jobId, '-o', '%i %T']);
    const lines = queued.stdout.split('\n').filter((l) => l.trim());
    const done = plan.filter((run) => runState(run) === 'finished').length;
    const running = lines.filter((l) => l.includes('RUNNING')).length;
    options.onProgress({ total: plan.length, done, running, skipped: 0, usd: spentBy(plan) });
    if (queued.exitCode === 0 && lines.length === 0) return;
    if (signal.aborted && !interrupted) {
      interrupted = true;
      await runCommand('scancel', ['--signal=INT', '--full', jobId]);
      await runCommand('scancel', ['--state=PENDING', jobId]);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS / (signal.aborted ? 4 : 1)));
  }
}

/** `budgetml bench-run <plan> <index>`: one array task, one ordinary run. */
export async function benchRunCommand(argv: readonly string[]): Promise<number> {
  const [, planFile, index] = argv;
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as ArrayPlan;
  const entry = plan.runs[Number(index)];
  if (!entry) {
    process.stderr.write(`budgetml: the bench plan ${planFile} has no run ${index}\n`);
    return 2;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const code = await runOne(entry.run, plan.cli, entry.limits, controller.signal);
  return code ?? 1;
}

import { readSummary, runState, type PlannedRun } from './benchPlan';
import { runOne, type CliCommand } from './runOne';

export interface PoolOptions {
  parallel: number;
  /** USD for the whole bench */
  budget?: number;
  replay?: string;
  cli: CliCommand;
  /** after every change: runs finished, running, and what they cost so far */
  onProgress: (progress: Progress) => void;
}

export interface Progress {
  total: number;
  done: number;
  running: number;
  skipped: number;
  usd: number;
}

/** Less than this left of the bench's budget: no run is started (it could not pay for a useful call). */
const MIN_RUN_BUDGET_USD = 0.0001;

/**
 * Runs what is not finished yet, `parallel` at a time. Each run gets its configuration's budget, or
 * what is left of the bench's when that is less (what is left counts the budgets handed to the runs
 * still going), so the bench as a whole never passes its budget. A stop lets the running runs end
 * cleanly and starts no more.
 */
export async function runPool(plan: readonly PlannedRun[], options: PoolOptions, signal: AbortSignal): Promise<void> {
  const pending = plan.filter((run) => runState(run) !== 'finished');
  const progress: Progress = { total: plan.length, done: plan.length - pending.length, running: 0, skipped: 0, usd: spentBy(plan) };
  const reserved = new Map<PlannedRun, number>();
  const next = async (): Promise<void> => {
    for (let run = pending.shift(); run && !signal.aborted; run = pending.shift()) {
      const budget = budgetFor(run, options.budget, progress.usd, reserved);
      if (budget !== undefined && budget < MIN_RUN_BUDGET_USD) {
        progress.skipped++;
        continue;
      }
      reserved.set(run, budget ?? 0);
      progress.running++;
      options.onProgress({ ...progress });
      await runOne(run, options.cli, { budget, replay: options.replay }, signal);
      reserved.delete(run);
      progress.running--;
      progress.done++;
      progress.usd = spentBy(plan);
      options.onProgress({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, next));
}

/**
 * The run's budget: its configuration's, or less when the bench's would be passed. A resumed run's
 * budget covers what it spent before (counted in `spent` too).
 */
function budgetFor(
  run: PlannedRun,
  benchBudget: number | undefined,
  spent: number,
  reserved: ReadonlyMap<PlannedRun, number>,
): number | undefined {
  if (benchBudget === undefined) return undefined;
  const held = [...reserved.values()].reduce((sum, usd) => sum + usd, 0);
  return Math.min(run.budgetUsd, Math.max(0, benchBudget - spent - held) + costOf(run));
}

/** What the bench's runs have spent so far, as their summaries say. */
export function spentBy(plan: readonly PlannedRun[]): number {
  return plan.reduce((sum, run) => sum + costOf(run), 0);
}

function costOf(run: PlannedRun): number {
  return Number((readSummary(run)?.cost as { usd?: number } | undefined)?.usd) || 0;
}

import type { PlannedRun } from './benchPlan';
import type { PoolOptions } from './runPool';

/** Placeholder until the job-array path is written. */
export async function runJobArray(
  _plan: readonly PlannedRun[],
  _options: PoolOptions & { out: string },
  _signal: AbortSignal,
): Promise<void> {
  throw new Error('not yet');
}

export async function benchRunCommand(_argv: readonly string[]): Promise<number> {
  return 2;
}

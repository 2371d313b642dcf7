/** A run's identity and the states it ends in, as the core writes them and every host reads them. */

/** How a run ends: the core writes one of these into summary.json and log.jsonl. */
export const RUN_STATUSES = ['final_answer', 'max_steps', 'budget_exhausted', 'cancelled', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run's state: running, one of the end statuses, or stopped by a window reload before it could end. */
export type RunPhase = 'running' | RunStatus | 'interrupted';

/** Statuses after which a run can be continued (a reload leaves no summary at all). */
export const RESUMABLE_STATUSES: readonly RunStatus[] = ['cancelled', 'error', 'budget_exhausted'];

/** An end status read from a file written by any version: unknown ones count as an error. */
export function runStatusOf(status: unknown): RunStatus {
  return (RUN_STATUSES as readonly unknown[]).includes(status) ? (status as RunStatus) : 'error';
}

/** A sortable, readable folder name: the UTC start time and four random characters. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-').slice(0, 19)}-${Math.random().toString(36).slice(2, 6)}`;
}

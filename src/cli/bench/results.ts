import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSummary, type PlannedRun } from './benchPlan';

/** One run as results.json lists it; `status` 'not run' when it never ran (stopped, or the bench's budget spent). */
export interface RunResult {
  task: string;
  config: string;
  run: number;
  status: string;
  success: boolean | null;
  baseline: number | null;
  score: number | null;
  improvement: number | null;
  costUsd: number;
  steps: number;
  escalations: number;
  lifelinesUsed: number;
  wallSec: number | null;
  runDir: string;
}

export interface Aggregate {
  runs: number;
  successRate: number;
  meanCostUsd: number;
  medianCostUsd: number;
  meanSteps: number;
  meanEscalations: number;
  meanLifelinesUsed: number;
}

export interface ConfigResult extends Aggregate {
  name: string;
  /** the same figures task by task */
  tasks: Record<string, Aggregate>;
}

export interface BenchResults {
  tasks: string[];
  runs: RunResult[];
  configs: ConfigResult[];
}

/** results.json: every planned run as its summary says, and each configuration's figures over the runs that ran. */
export function benchResults(plan: readonly PlannedRun[]): BenchResults {
  const runs = plan.map(resultOf);
  const names = [...new Set(plan.map((r) => r.config))];
  const tasks = [...new Set(plan.map((r) => r.task))];
  const configs = names.map((name) => {
    const ran = runs.filter((r) => r.config === name && r.status !== 'not run');
    const perTask = Object.fromEntries(tasks.map((task) => [task, aggregate(ran.filter((r) => r.task === task))]));
    return { name, ...aggregate(ran), tasks: perTask };
  });
  return { tasks, runs, configs };
}

function resultOf(run: PlannedRun): RunResult {
  const s = readSummary(run) as Partial<SummaryFields> | undefined;
  const base = { task: run.task, config: run.config, run: run.run, runDir: run.dir };
  if (!s) {
    const none = { success: null, baseline: null, score: null, improvement: null };
    return { ...base, status: 'not run', ...none, costUsd: 0, steps: 0, escalations: 0, lifelinesUsed: 0, wallSec: null };
  }
  return {
    ...base,
    status: String(s.status),
    success: s.success ?? null,
    baseline: s.baseline ?? null,
    score: s.score ?? null,
    improvement: s.improvement ?? null,
    costUsd: s.cost?.usd ?? 0,
    steps: s.steps ?? 0,
    escalations: s.escalations ?? 0,
    lifelinesUsed: s.lifelinesUsed ?? 0,
    wallSec: wallSecOf(run),
  };
}

interface SummaryFields {
  status: string;
  success: boolean | null;
  baseline: number | null;
  score: number | null;
  improvement: number | null;
  cost: { usd: number };
  steps: number;
  escalations: number;
  lifelinesUsed: number;
}

function wallSecOf(run: PlannedRun): number | null {
  try {
    return (JSON.parse(readFileSync(join(run.dir, 'bench-run.json'), 'utf8')) as { wallSec: number }).wallSec;
  } catch {
    return null;
  }
}

function aggregate(runs: readonly RunResult[]): Aggregate {
  const mean = (pick: (r: RunResult) => number) => (runs.length ? runs.reduce((sum, r) => sum + pick(r), 0) / runs.length : 0);
  return {
    runs: runs.length,
    successRate: mean((r) => (r.success ? 1 : 0)),
    meanCostUsd: mean((r) => r.costUsd),
    medianCostUsd: median(runs.map((r) => r.costUsd)),
    meanSteps: mean((r) => r.steps),
    meanEscalations: mean((r) => r.escalations),
    meanLifelinesUsed: mean((r) => r.lifelinesUsed),
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

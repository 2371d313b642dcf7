import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigError, parseConfig } from '../../core/config';
import { UsageError } from '../args';
import type { BenchArgs } from './benchArgs';

/** One run of the bench: a task under a configuration, the n-th time, in its own folder. */
export interface PlannedRun {
  task: string;
  taskDir: string;
  config: string;
  configFile: string;
  run: number;
  /** the run folder: DIR/runs/<task>/<config>/<n>/ (the task's fresh copy in <task>/ under it) */
  dir: string;
  /** the configuration's budget per run */
  budgetUsd: number;
}

/** Where a planned run stands: not started, stopped part-way (to resume), or finished. */
export type RunState = 'new' | 'resumable' | 'finished';

/** Statuses after which a bench run is run again on --resume: stopped by the user, or broken. */
const UNFINISHED = new Set(['cancelled', 'error']);

/** Every task × configuration × run, task by task. Names come from the folders and files; they must differ. */
export function planBench(args: BenchArgs): PlannedRun[] {
  const tasks = named(args.tasks, (p) => basename(resolve(p)), 'task');
  const configs = named(args.configs, (p) => basename(p).replace(/\.json$/i, ''), 'configuration');
  const budgets = new Map(configs.map(([, file]) => [file, readConfigBudget(file)]));
  for (const [, dir] of tasks) if (!existsSync(dir)) throw new UsageError(`task folder ${dir} does not exist`);
  const out = resolve(args.out);
  return tasks.flatMap(([task, taskDir]) =>
    configs.flatMap(([config, configFile]) =>
      Array.from({ length: args.runs }, (_, i) => ({
        task,
        taskDir,
        config,
        configFile,
        run: i + 1,
        dir: join(out, 'runs', task, config, String(i + 1)),
        budgetUsd: budgets.get(configFile)!,
      })),
    ),
  );
}

function named(paths: readonly string[], nameOf: (path: string) => string, what: string): [string, string][] {
  const pairs = paths.map((p): [string, string] => [nameOf(p), resolve(p)]);
  const names = pairs.map(([name]) => name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new UsageError(`two ${what}s are named "${twice}": give them different folder or file names`);
  return pairs;
}

/** The budget per run of a configuration file; a file that cannot be read or is wrong stops the bench before any run. */
function readConfigBudget(file: string): number {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config ${file}: ${(error as Error).message}`);
  }
  return parseConfig(raw).budgetUsd;
}

/** What the run's folder says about it. */
export function runState(run: PlannedRun): RunState {
  const summary = readSummary(run);
  if (summary && !UNFINISHED.has(String(summary.status))) return 'finished';
  return existsSync(join(run.dir, 'log.jsonl')) ? 'resumable' : 'new';
}

export function readSummary(run: PlannedRun): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(join(run.dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

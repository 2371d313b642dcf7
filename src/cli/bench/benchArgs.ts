import { parseFlags, positiveNumber, UsageError } from '../args';

/** Parsed `budgetml bench` arguments. */
export interface BenchArgs {
  tasks: string[];
  configs: string[];
  runs: number;
  parallel: number;
  out: string;
  /** the whole bench's budget in USD: never passed in total */
  budget?: number;
  /** a recording played back by every run (no API is called) */
  replay?: string;
  /** 'slurm': every run is one task of a SLURM job array */
  scheduler: 'local' | 'slurm';
  json: boolean;
  resume: boolean;
}

export const BENCH_USAGE = `usage: budgetml bench <task>... --config FILE [--config FILE ...] [--runs N] [--parallel K] [--out DIR] [--budget USD] [--replay FILE] [--scheduler local|slurm] [--json] [--resume]

  <task>        task folders or workspace tasks, as for run; each run works on a fresh copy
  --config      one configuration per file (named after it); give two or more to compare them
  --runs        runs per task and configuration (default 3)
  --parallel    runs at a time (default 1); with --scheduler slurm the job array's throttle
  --out         the bench folder (default bench-<date>): runs/<task>/<config>/<n>/, results.json, report.md, report.html
  --budget      USD for the whole bench, never passed in total
  --replay      answer every run from a recorded run (no API is called)
  --scheduler   local (default) or slurm: the runs go to the cluster as one job array
  --json        print results.json on stdout instead of the progress
  --resume      continue the bench in --out, skipping finished runs`;

const VALUE_FLAGS = new Set(['config', 'runs', 'parallel', 'out', 'budget', 'replay', 'scheduler']);
const BOOLEAN_FLAGS = new Set(['json', 'resume']);

/** Parses `bench <task>... [flags]`; throws UsageError with a one-line reason. */
export function parseBenchArgs(argv: readonly string[], now = new Date()): BenchArgs {
  const { lists: values, flags, positional: tasks } = parseFlags(argv.slice(1), VALUE_FLAGS, BOOLEAN_FLAGS);
  if (tasks.length === 0) throw new UsageError('no task given');
  const configs = values.config ?? [];
  if (configs.length === 0) throw new UsageError('no --config given: each configuration is one config file');
  const one = (name: string) => values[name]?.at(-1);
  const scheduler = one('scheduler') ?? 'local';
  if (scheduler !== 'local' && scheduler !== 'slurm') throw new UsageError(`--scheduler must be local or slurm, got "${scheduler}"`);
  return {
    tasks,
    configs,
    runs: one('runs') === undefined ? 3 : positiveNumber('runs', one('runs')!, true),
    parallel: one('parallel') === undefined ? 1 : positiveNumber('parallel', one('parallel')!, true),
    out: one('out') ?? `bench-${now.toISOString().slice(0, 19).replace(/:/g, '-')}`,
    budget: one('budget') === undefined ? undefined : positiveNumber('budget', one('budget')!, false),
    replay: one('replay'),
    scheduler,
    json: flags.has('json'),
    resume: flags.has('resume'),
  };
}

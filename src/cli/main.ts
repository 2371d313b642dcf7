import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, parseConfig, type Config } from '../core/config';
import type { RunEvent } from '../core/events';
import { keysFromEnv, requireKey } from '../core/llm/providers';
import { recordingSchema, type Recording } from '../core/llm/replay';
import { parseModelRef } from '../core/llm/types';
import { ResearchLog } from '../core/memory/researchLog';
import { PreflightError, runAgent, type RunSummary } from '../core/run';
import { isBenchmarkTask, loadBenchmarkTask, loadWorkspaceTask, TaskError } from '../core/task/loadTask';
import type { Task } from '../core/task/task';
import { shownMetrics } from '../core/experiments/table';
import { parseRunArgs, UsageError, USAGE, type RunArgs } from './args';
import { formatUsd } from '../shared/money';
import { newRunId } from '../shared/runs';
import { NodeHost } from './nodeHost';
import { bench } from './bench/bench';
import { BENCH_USAGE } from './bench/benchArgs';
import { benchRunCommand } from './bench/slurmArray';
import { computeExecutor } from '../node/compute/computeExecutor';
import type { LogLevel } from '../core/host';

/** Exit code for bad arguments, config or task. */
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`${USAGE}\n\n${BENCH_USAGE}\n`);
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  if (argv[0] === 'bench') return benchCommand(argv);
  if (argv[0] === 'bench-run') return benchRunCommand(argv);
  let prepared: Prepared;
  try {
    prepared = prepare(parseRunArgs(argv));
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof TaskError) {
      process.stderr.write(`budgetml: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const { config, task, runDir, args, replay } = prepared;
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const say = (line: string) => args.quiet || process.stderr.write(line + '\n');
  const log = (level: LogLevel, message: string) => level !== 'info' && say(`[${level}] ${message}`);
  const executor = computeExecutor(config.compute, { log, runDir, workspace: task.workspace, python: config.python });
  if (config.compute.backend !== 'local') say(`scripts run on ${executor.describe()}`);
  let summary: RunSummary;
  try {
    summary = await runAgent({
      task,
      config,
      host: new NodeHost(log, executor),
      keys: keysFromEnv(config),
      runDir,
      resume: args.resume,
      replay,
      signal: controller.signal,
      onEvent: (event) => describe(event, say),
    });
  } catch (error) {
    // the task could not be prepared, or its baseline cannot run or be scored: nothing was spent
    if (error instanceof PreflightError || error instanceof TaskError) {
      process.stderr.write(`budgetml: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (args.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else say(`${summary.status}: ${summary.steps} steps, ${formatUsd(summary.cost.usd)}; summary in ${join(runDir, 'summary.json')}`);
  return 0;
}

async function benchCommand(argv: readonly string[]): Promise<number> {
  try {
    return await bench(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`budgetml: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

interface Prepared {
  config: Config;
  task: Task;
  runDir: string;
  args: RunArgs;
  replay?: Recording;
}

/** Reads config and task; everything wrong here is the user's to fix and ends with exit 2. */
function prepare(args: RunArgs): Prepared {
  const config = withFlags(readConfig(args.config), args);
  const replay = args.replay ? readRecording(args.replay) : undefined;
  const keys = keysFromEnv(config);
  const ids = [...config.models.planner, ...config.models.worker, config.models.expert];
  if (!replay) for (const provider of new Set(ids.map((id) => parseModelRef(id).provider))) requireKey(provider, config, keys);
  const taskFolder = resolve(args.task);
  if (!existsSync(taskFolder)) throw new TaskError(`task folder ${args.task} does not exist`);
  const benchmark = isBenchmarkTask(taskFolder);
  const baseForRuns = benchmark ? process.cwd() : resolve(args.workspace ?? taskFolder);
  const runDir = resolve(args.out ?? join(baseForRuns, '.budgetml', 'runs', newRunId()));
  checkFolder(runDir, args.out === undefined ? 'the run folder' : `--out ${args.out}`);
  if (args.workspace !== undefined) checkFolder(resolve(args.workspace), `the workspace ${args.workspace}`);
  else if (!benchmark) checkFolder(taskFolder, `the workspace ${args.task}`);
  checkRunLog(join(runDir, 'log.jsonl'), args);
  const task = benchmark
    ? loadBenchmarkTask(taskFolder, resolve(args.workspace ?? join(runDir, 'workspace')), args.direction)
    : loadWorkspaceTask(args.workspace ?? taskFolder, config.python, args.goal, args.direction);
  return { config, task, runDir, args, replay };
}

/** A folder the run will write to: a folder we may read and write, or a path where one can be made. */
function checkFolder(path: string, what: string): void {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory())
    throw new UsageError(existing === path ? `${what} is a file, not a folder` : `${what} cannot be made: ${existing} is a file`);
  try {
    accessSync(existing, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${what} cannot be read or written (${existing}): check its permissions`);
  }
}

/** A new run needs an empty run folder; a resumed one a log that can be read back. */
function checkRunLog(path: string, args: RunArgs): void {
  if (!args.resume) {
    if (existsSync(path) && statSync(path).size > 0)
      throw new UsageError(`--out ${args.out} already holds a run: add --resume to continue it, or choose another folder`);
    return;
  }
  if (!existsSync(path)) throw new UsageError(`--resume needs --out pointing to a run folder with log.jsonl`);
  try {
    ResearchLog.create(path);
  } catch (error) {
    throw new UsageError(`cannot resume: ${(error as Error).message}`);
  }
}

function readRecording(path: string): Recording {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the recording ${path}: ${(error as Error).message}`);
  }
  const parsed = recordingSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${path} is not a recording: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

function readConfig(path: string | undefined): Config {
  if (!path) return parseConfig({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`);
  }
  return parseConfig(raw);
}

function withFlags(config: Config, args: RunArgs): Config {
  return {
    ...config,
    ...(args.maxSteps !== undefined ? { maxSteps: args.maxSteps } : {}),
    ...(args.budget !== undefined ? { budgetUsd: args.budget } : {}),
    ...(args.python !== undefined ? { python: args.python } : {}),
  };
}

function describe(event: RunEvent, say: (line: string) => void): void {
  switch (event.type) {
    case 'run-started':
      return say(
        `${event.replay ? 'REPLAY of recorded model answers, no API is called: ' : ''}run ${event.runId}${event.resumedFromStep ? ` resumed after step ${event.resumedFromStep}` : ''}: budget $${event.budgetUsd}`,
      );
    case 'planned':
      return say(`step ${event.step}: ${event.action} ${JSON.stringify(event.actionInput)} [${event.model}]`);
    case 'escalation':
      return say(`  escalated ${event.role} ${event.from} → ${event.to}: ${event.reason}`);
    case 'budget-warning':
      return say(
        `  warning: ${formatUsd(event.usd)} of ${formatUsd(event.budgetUsd)} spent (${Math.round((event.usd / event.budgetUsd) * 100)} %)`,
      );
    case 'score':
      return say(`${event.label} ${event.metric}: ${event.score ?? 'not measured'}`);
    case 'experiment': {
      const e = event.experiment;
      return say(`  experiment #${e.id} ${e.script}: ${e.outcome}${Object.keys(e.metrics).length ? ` (${shownMetrics(e)})` : ''}`);
    }
    case 'verdict':
      say(`verdict: ${event.verdict.verdict} — ${event.verdict.reason}`);
      for (const claim of event.unverifiedClaims) say(`  unverified claim in the ${claim.where}: ${claim.text} (“${claim.context}”)`);
      return;
    case 'run-ended':
      return say(`ended: ${event.status}${event.message ? ` (${event.message})` : ''}`);
    default:
      return;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`budgetml: ${(error as Error).message}\n`);
    process.exit(1);
  },
);

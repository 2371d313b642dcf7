/** Parsed `budgetml run` arguments. */
export interface RunArgs {
  task: string;
  workspace?: string;
  config?: string;
  out?: string;
  goal?: string;
  maxSteps?: number;
  budget?: number;
  python?: string;
  /** the task's direction when neither the task nor MLAgentBench's list says it */
  direction?: 'higher' | 'lower';
  /** a recorded run whose model answers are played back */
  replay?: string;
  json: boolean;
  resume: boolean;
  quiet: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: budgetml run <task> [--workspace DIR] [--config FILE] [--out DIR] [--goal "…"] [--max-steps N] [--budget USD] [--python PATH] [--direction higher|lower] [--json] [--resume] [--quiet] [--replay FILE]

  <task>        an MLAgentBench task folder (env/, scripts/), or a workspace folder
                (with budgetml.task.json, or with --goal)
  --workspace   where the agent works (default for a task folder: <out>/workspace)
  --config      JSON with the keys of the budgetml.* settings
  --out         the run folder (default .budgetml/runs/<id>)
  --direction   whether a higher or a lower score is better (default: the task's own word,
                MLAgentBench's list of lower-is-better tasks, else higher)
  --json        print summary.json on stdout
  --resume      continue the run recorded in --out
  --replay      answer from a recorded run (no API is called); everything else is real`;

const VALUE_FLAGS = new Set(['workspace', 'config', 'out', 'goal', 'max-steps', 'budget', 'python', 'replay', 'direction']);
const BOOLEAN_FLAGS = new Set(['json', 'resume', 'quiet']);

/** Parses `run <task> [flags]`; throws UsageError with a one-line reason. */
export function parseRunArgs(argv: readonly string[]): RunArgs {
  const [command, ...rest] = argv;
  if (command !== 'run') throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  const { lists, flags, positional } = parseFlags(rest, VALUE_FLAGS, BOOLEAN_FLAGS);
  const values = Object.fromEntries(Object.entries(lists).map(([name, given]) => [name, given.at(-1)!]));
  if (positional.length !== 1) throw new UsageError(positional.length ? `one task expected, got ${positional.length}` : 'no task given');
  return {
    task: positional[0],
    workspace: values.workspace,
    config: values.config,
    out: values.out,
    goal: values.goal,
    maxSteps: values['max-steps'] === undefined ? undefined : positiveNumber('max-steps', values['max-steps'], true),
    budget: values.budget === undefined ? undefined : positiveNumber('budget', values.budget, false),
    python: values.python,
    direction: values.direction === undefined ? undefined : directionOf(values.direction),
    replay: values.replay,
    json: flags.has('json'),
    resume: flags.has('resume'),
    quiet: flags.has('quiet'),
  };
}

/** Flags and positional arguments: `--name value`, `--name=value`, `--flag`; every value given for a name, in order. */
export function parseFlags(
  args: readonly string[],
  valueFlags: ReadonlySet<string>,
  booleanFlags: ReadonlySet<string>,
): { lists: Record<string, string[]>; flags: Set<string>; positional: string[] } {
  const lists: Record<string, string[]> = {};
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (booleanFlags.has(name)) flags.add(name);
    else if (valueFlags.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      (lists[name] ??= []).push(value);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return { lists, flags, positional };
}

export function positiveNumber(name: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'whole number' : 'number'}, got "${text}"`);
  }
  return value;
}

function directionOf(text: string): 'higher' | 'lower' {
  if (text === 'higher' || text === 'lower') return text;
  throw new UsageError(`--direction must be higher or lower, got "${text}"`);
}

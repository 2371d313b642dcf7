import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Task } from './task';
import { TaskError } from './taskError';

/**
 * MLAgentBench's tasks whose score is better when lower (its own list); every other task is
 * higher-is-better unless told otherwise.
 */
const LOWER_IS_BETTER_TASKS: ReadonlySet<string> = new Set([
  'house-price',
  'vectorization',
  'parkinsons-disease',
  'amp-parkinsons-disease-progression-prediction',
  'feedback',
  'feedback-prize-english-language-learning',
  'babylm',
  'llama-inference',
]);

/** True for an MLAgentBench task folder: `env/` and `scripts/research_problem.txt`. */
export function isBenchmarkTask(folder: string): boolean {
  return existsSync(join(folder, 'env')) && existsSync(join(folder, 'scripts', 'research_problem.txt'));
}

/**
 * An MLAgentBench task: `env/` becomes the workspace (prepared and copied when the run starts);
 * `scripts/` stays hidden from the agent and provides the goal, the read-only globs and eval.py.
 * `direction` (a flag) wins over MLAgentBench's list and over what eval.py prints.
 */
export function loadBenchmarkTask(folder: string, workspace: string, direction?: 'higher' | 'lower'): Task {
  const root = resolve(folder);
  const scripts = join(root, 'scripts');
  const goal = readText(join(scripts, 'research_problem.txt')).trim();
  if (!goal) throw new TaskError(`${join(scripts, 'research_problem.txt')} is empty`);
  const evalScript = join(scripts, 'eval.py');
  const printed = existsSync(evalScript) ? printedFormat(readText(evalScript)) : {};
  const higherIsBetter = direction ? direction === 'higher' : LOWER_IS_BETTER_TASKS.has(basename(root)) ? false : printed.higherIsBetter;
  return {
    goal,
    workspace: resolve(workspace),
    readOnlyGlobs: readGlobs(join(scripts, 'read_only_files.txt')),
    script: existsSync(join(root, 'env', 'train.py')) ? 'train.py' : undefined,
    evaluation: existsSync(evalScript)
      ? { kind: 'module', script: evalScript, cwd: scripts, metric: printed.metric, higherIsBetter }
      : undefined,
    benchmark: { folder: root, env: join(root, 'env'), scripts },
  };
}

/** The metric and direction an eval.py of this project's own format writes into its JSON line. */
function printedFormat(source: string): { metric?: string; higherIsBetter?: boolean } {
  const metric = /["']metric["']\s*:\s*["']([^"'\n]{1,60})["']/.exec(source)?.[1];
  const direction = /["']higher_is_better["']\s*:\s*(True|False)\b/.exec(source)?.[1];
  return { metric, higherIsBetter: direction === undefined ? undefined : direction === 'True' };
}

function readGlobs(path: string): string[] {
  if (!existsSync(path)) return [];
  return readText(path)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => (isAbsolute(l) ? l.replace(/^\/+/, '') : l));
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new TaskError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

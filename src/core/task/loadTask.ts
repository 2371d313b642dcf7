import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Evaluation, Task } from './task';

/** A task problem the user can fix: bad folder, unreadable or invalid task file. */
export class TaskError extends Error {
  override name = 'TaskError';
}

export const TASK_FILE = 'budgetml.task.json';

/** `budgetml.task.json` in a workspace. */
export const taskFileSchema = z.strictObject({
  goal: z.string().min(1).optional(),
  /** the training script, relative to the workspace */
  script: z.string().min(1).optional(),
  /** the scoring command (argv, or one string split on spaces); run in the workspace */
  evalCommand: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  metric: z.string().min(1).optional(),
  direction: z.enum(['higher', 'lower']).optional(),
  readOnlyFiles: z.array(z.string()).optional(),
});
export type TaskFile = z.infer<typeof taskFileSchema>;

/** True for an MLAgentBench task folder: `env/` and `scripts/research_problem.txt`. */
export function isBenchmarkTask(folder: string): boolean {
  return existsSync(join(folder, 'env')) && existsSync(join(folder, 'scripts', 'research_problem.txt'));
}

/**
 * An MLAgentBench task: `env/` is copied into the (new or empty) workspace; `scripts/` stays hidden
 * from the agent and provides the goal, the read-only globs and the scoring script.
 */
export function loadBenchmarkTask(folder: string, workspace: string, python: string): Task {
  const root = resolve(folder);
  const scripts = join(root, 'scripts');
  const goal = readText(join(scripts, 'research_problem.txt')).trim();
  if (!goal) throw new TaskError(`${join(scripts, 'research_problem.txt')} is empty`);
  copyEnvInto(join(root, 'env'), resolve(workspace));
  const evalScript = join(scripts, 'eval.py');
  const evaluation: Evaluation | undefined = existsSync(evalScript) ? { command: [python, evalScript, resolve(workspace)], cwd: scripts } : undefined;
  return {
    goal,
    workspace: resolve(workspace),
    readOnlyGlobs: readGlobs(join(scripts, 'read_only_files.txt')),
    script: existsSync(join(root, 'env', 'train.py')) ? 'train.py' : undefined,
    evaluation,
  };
}

/** A workspace with a goal, described by `budgetml.task.json` when it has one; `goal` overrides the file's. */
export function loadWorkspaceTask(folder: string, python: string, goal?: string): Task {
  const workspace = resolve(folder);
  if (!isDirectory(workspace)) throw new TaskError(`${folder} is not a folder`);
  const file = readTaskFile(workspace);
  const theGoal = goal?.trim() || file?.goal;
  if (!theGoal) throw new TaskError(`no goal: give one, or put "goal" into ${join(workspace, TASK_FILE)}`);
  const script = file?.script ?? (existsSync(join(workspace, 'train.py')) ? 'train.py' : undefined);
  return { goal: theGoal, workspace, readOnlyGlobs: [TASK_FILE, ...(file?.readOnlyFiles ?? [])], script, evaluation: evaluationOf(file, workspace, python) };
}

export function readTaskFile(workspace: string): TaskFile | undefined {
  const path = join(workspace, TASK_FILE);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TaskError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = taskFileSchema.safeParse(raw);
  if (!parsed.success) throw new TaskError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function evaluationOf(file: TaskFile | undefined, workspace: string, python: string): Evaluation | undefined {
  if (!file?.evalCommand) return undefined;
  const argv = typeof file.evalCommand === 'string' ? file.evalCommand.trim().split(/\s+/) : file.evalCommand;
  const command = /^python3?$/.test(argv[0]) ? [python, ...argv.slice(1)] : argv;
  return { command, cwd: workspace, metric: file.metric, higherIsBetter: file.direction ? file.direction === 'higher' : undefined };
}

function copyEnvInto(env: string, workspace: string): void {
  if (!isDirectory(env)) throw new TaskError(`${env} is not a folder`);
  if (existsSync(workspace) && readdirSync(workspace).length > 0) return; // already prepared: keep the agent's work
  cpSync(env, workspace, { recursive: true });
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

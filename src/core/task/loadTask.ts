import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Evaluation, Task } from './task';
import { TaskError } from './taskError';

export { TaskError } from './taskError';
export { isBenchmarkTask, loadBenchmarkTask } from './benchmarkTask';

export const TASK_FILE = 'budgetml.task.json';

/** `budgetml.task.json` in a workspace. */
const taskFileSchema = z.strictObject({
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

/** A workspace with a goal, described by `budgetml.task.json` when it has one; `goal` overrides the file's. */
export function loadWorkspaceTask(folder: string, python: string, goal?: string, direction?: 'higher' | 'lower'): Task {
  const workspace = resolve(folder);
  if (!isDirectory(workspace)) throw new TaskError(`${folder} is not a folder`);
  const file = readTaskFile(workspace);
  const theGoal = goal?.trim() || file?.goal;
  if (!theGoal) throw new TaskError(`no goal: give one, or put "goal" into ${join(workspace, TASK_FILE)}`);
  const script = file?.script ?? (existsSync(join(workspace, 'train.py')) ? 'train.py' : undefined);
  return {
    goal: theGoal,
    workspace,
    readOnlyGlobs: [TASK_FILE, ...(file?.readOnlyFiles ?? [])],
    script,
    evaluation: evaluationOf(file, workspace, python, direction),
  };
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
  if (!parsed.success)
    throw new TaskError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function evaluationOf(
  file: TaskFile | undefined,
  workspace: string,
  python: string,
  direction?: 'higher' | 'lower',
): Evaluation | undefined {
  if (!file?.evalCommand) return undefined;
  const argv = typeof file.evalCommand === 'string' ? file.evalCommand.trim().split(/\s+/) : file.evalCommand;
  const command = /^python3?$/.test(argv[0]) ? [python, ...argv.slice(1)] : argv;
  const chosen = direction ?? file.direction;
  return { kind: 'command', command, cwd: workspace, metric: file.metric, higherIsBetter: chosen ? chosen === 'higher' : undefined };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

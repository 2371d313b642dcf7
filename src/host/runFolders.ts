import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Task } from '../core/task/task';
import { RESUMABLE_STATUSES } from '../shared/runs';

/** Runs live under `.budgetml/runs/<id>/` in the workspace. */
export function runsRoot(workspace: string): string {
  return join(workspace, '.budgetml', 'runs');
}

/**
 * Creates the run folder; the first one also creates `.budgetml/` with a `.gitignore` of `*`, so
 * runs (logs, outputs, code snapshots) stay out of the project's repository.
 */
export async function createRunFolder(workspace: string, name: string): Promise<string> {
  const ignore = join(workspace, '.budgetml', '.gitignore');
  const runDir = join(runsRoot(workspace), name);
  await mkdir(runDir, { recursive: true });
  if (!existsSync(ignore)) await writeFile(ignore, '*\n');
  return runDir;
}

/** The host keeps the exact task of a run next to its log, so Resume Run continues the same task. */
const TASK_RECORD = 'task.json';

export async function saveRunTask(runDir: string, task: Task): Promise<void> {
  await writeFile(join(runDir, TASK_RECORD), JSON.stringify(task, null, 2) + '\n');
}

/** The task saved at start, else goal and workspace from the log's first record. */
export async function readRunTask(runDir: string): Promise<Task | { goal: string; workspace: string } | undefined> {
  try {
    return JSON.parse(await readFile(join(runDir, TASK_RECORD), 'utf8')) as Task;
  } catch {
    // a run started elsewhere (the CLI): fall back to the log header
  }
  try {
    const first = JSON.parse((await readFile(join(runDir, 'log.jsonl'), 'utf8')).split('\n', 1)[0]) as Record<string, unknown>;
    if (first.type === 'run' && typeof first.goal === 'string' && typeof first.workspace === 'string') {
      return { goal: first.goal, workspace: first.workspace };
    }
  } catch {
    // no readable log
  }
  return undefined;
}

/** The step limit and lifelines a run works with, kept so its view shows them after the settings change. */
export interface RunLimits {
  maxSteps: number;
  lifelinesTotal: number;
}

const LIMITS_RECORD = 'limits.json';

export async function saveRunLimits(runDir: string, limits: RunLimits): Promise<void> {
  await writeFile(join(runDir, LIMITS_RECORD), JSON.stringify(limits) + '\n');
}

/** The limits saved with a run; undefined for runs started elsewhere (the CLI). */
export function readRunLimits(runDir: string): RunLimits | undefined {
  try {
    const saved = JSON.parse(readFileSync(join(runDir, LIMITS_RECORD), 'utf8')) as Partial<RunLimits>;
    const valid = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
    return valid(saved.maxSteps) && valid(saved.lifelinesTotal)
      ? { maxSteps: saved.maxSteps, lifelinesTotal: saved.lifelinesTotal }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The run folder with the newest log that did not finish, if any. */
export async function newestUnfinishedRun(workspace: string): Promise<string | undefined> {
  const root = runsRoot(workspace);
  if (!existsSync(root)) return undefined;
  const candidates: { dir: string; mtime: number }[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    const log = join(dir, 'log.jsonl');
    if (!existsSync(log) || !(await isUnfinished(dir))) continue;
    candidates.push({ dir, mtime: (await stat(log)).mtimeMs });
  }
  candidates.sort((a, b) => b.mtime - a.mtime);
  return candidates[0]?.dir;
}

/** The run folder with the newest log, finished or not. */
export async function newestRun(workspace: string): Promise<string | undefined> {
  const root = runsRoot(workspace);
  if (!existsSync(root)) return undefined;
  let best: { dir: string; mtime: number } | undefined;
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const log = join(root, entry.name, 'log.jsonl');
    if (!entry.isDirectory() || !existsSync(log)) continue;
    const mtime = (await stat(log)).mtimeMs;
    if (!best || mtime > best.mtime) best = { dir: join(root, entry.name), mtime };
  }
  return best?.dir;
}

async function isUnfinished(dir: string): Promise<boolean> {
  try {
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as { status?: string };
    return (RESUMABLE_STATUSES as readonly unknown[]).includes(summary.status);
  } catch {
    return true;
  }
}

/** The lifelines a run spent so far (for asking the expert in a resumed run). */
export async function lifelinesUsedSoFar(runDir: string): Promise<number> {
  return (await recordsOfType(runDir, 'lifeline')).length;
}

/** The records of one type in a run's log; a torn last line is skipped, a missing log has none. */
async function recordsOfType(runDir: string, type: string): Promise<Record<string, unknown>[]> {
  let lines: string[];
  try {
    lines = (await readFile(join(runDir, 'log.jsonl'), 'utf8')).split('\n');
  } catch {
    return [];
  }
  const records: Record<string, unknown>[] = [];
  for (const line of lines) {
    if (!line.includes(`"type":"${type}"`)) continue;
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.type === type) records.push(record);
    } catch {
      // a torn last line
    }
  }
  return records;
}

/** Run folders of the recorded demo are named replay-<id> (as `npm run replay` names its own). */
export const REPLAY_PREFIX = 'replay-';

import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CODE_FOLDER } from '../../core/experiments/codeSnapshot';
import { EXPERIMENTS_FILE, readExperiments } from '../../core/experiments/experimentLog';
import type { ExperimentRecord, UnverifiedClaim, Verdict } from '../../core/experiments/types';
import { readRunTask, runsRoot } from '../runFolders';

/**
 * The runs of a workspace as the Experiments view reads them from disk: each run folder's
 * `experiments.jsonl`, its goal (task.json or the log's first record) and its `summary.json`.
 * No `vscode` here: the unit tests read fixture folders with it in plain Node.
 */

const SUMMARY_FILE = 'summary.json';

/** What the Experiments view uses of `summary.json` (older runs have no verdict). */
export interface RunSummaryFile {
  status?: string;
  verdict?: Verdict;
  unverifiedClaims?: UnverifiedClaim[];
  experiments?: number;
}

export interface ExperimentRun {
  /** absolute path of the run folder */
  dir: string;
  /** the folder's name */
  id: string;
  /** the workspace folder the run belongs to (`<workspace>/.budgetml/runs/<id>`) */
  workspace: string;
  goal?: string;
  /** ISO time the run started (the first experiment, the run id, or the folder's time) */
  startedAt: string;
  /** undefined while the run goes, or when it ended without writing one */
  summary?: RunSummaryFile;
  /** in the order they ran */
  experiments: ExperimentRecord[];
}

/** The task's metric and direction, when any experiment of the run or its verdict names them. */
export interface TaskDirection {
  metric: string;
  higherIsBetter: boolean;
}

/** The records of a run folder (a torn last line is skipped), without lines that are not records. */
function readRecords(dir: string): ExperimentRecord[] {
  return readExperiments(dir).filter(isExperimentRecord);
}

function isExperimentRecord(value: unknown): value is ExperimentRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<ExperimentRecord>;
  return (
    typeof r.id === 'number' &&
    typeof r.step === 'number' &&
    typeof r.script === 'string' &&
    typeof r.metrics === 'object' &&
    r.metrics !== null
  );
}

/** One run folder; experiments are [] when it has no `experiments.jsonl` yet. */
export async function readExperimentRun(dir: string): Promise<ExperimentRun> {
  const [summary, task] = await Promise.all([readSummary(dir), readRunTask(dir).catch(() => undefined)]);
  const experiments = readRecords(dir);
  return {
    dir,
    id: basename(dir),
    workspace: dirname(dirname(dirname(dir))),
    ...(task?.goal ? { goal: task.goal } : {}),
    startedAt: experiments[0]?.startedAt ?? timeOfRunId(basename(dir)) ?? (await folderTime(dir)),
    ...(summary ? { summary } : {}),
    experiments,
  };
}

/**
 * The runs of a workspace that recorded experiments (and those in `include`, e.g. the live run
 * before its first experiment), newest first.
 */
export async function listExperimentRuns(workspace: string, include: readonly string[] = []): Promise<ExperimentRun[]> {
  const root = runsRoot(workspace);
  const dirs = new Set(include.filter((dir) => dirname(dir) === root && existsSync(dir)));
  if (existsSync(root)) {
    for (const entry of await readdir(root, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(root, entry.name, EXPERIMENTS_FILE))) dirs.add(join(root, entry.name));
    }
  }
  const runs = await Promise.all([...dirs].map(readExperimentRun));
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
}

async function readSummary(dir: string): Promise<RunSummaryFile | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, SUMMARY_FILE), 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as RunSummaryFile) : undefined;
  } catch {
    return undefined;
  }
}

/** Run ids made by the host and the CLI start with the time: `2026-11-29T23-32-14-abcd`. */
function timeOfRunId(id: string): string | undefined {
  const match = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})/.exec(id);
  return match ? `${match[1]}T${match[2]}:${match[3]}:${match[4]}.000Z` : undefined;
}

async function folderTime(dir: string): Promise<string> {
  try {
    return (await stat(dir)).mtime.toISOString();
  } catch {
    return new Date(0).toISOString();
  }
}

/** The task's metric and direction: from the experiments that produced the score, else the verdict. */
export function taskDirection(
  run: Pick<ExperimentRun, 'experiments' | 'summary'>,
  verdict = run.summary?.verdict,
): TaskDirection | undefined {
  for (const record of [...run.experiments].reverse()) {
    if (record.taskMetric && typeof record.higherIsBetter === 'boolean')
      return { metric: record.taskMetric, higherIsBetter: record.higherIsBetter };
  }
  if (verdict?.metric && typeof verdict.higherIsBetter === 'boolean')
    return { metric: verdict.metric, higherIsBetter: verdict.higherIsBetter };
  return undefined;
}

/** The path of an experiment's snapshot of a file: `code/<sha256>` in the run folder (undefined for a malformed hash). */
export function snapshotPath(runDir: string, sha256: string): string | undefined {
  return /^[0-9a-f]{64}$/.test(sha256) ? join(runDir, CODE_FOLDER, sha256) : undefined;
}

/** The experiment with the best value of the task's metric, when the direction is known and two or more measured it. */
export function bestExperiment(records: readonly ExperimentRecord[], direction: TaskDirection | undefined): ExperimentRecord | undefined {
  if (!direction) return undefined;
  const measured = records.filter((r) => r.outcome === 'ok' && typeof r.metrics[direction.metric] === 'number');
  if (measured.length < 2) return undefined;
  const sign = direction.higherIsBetter ? 1 : -1;
  return measured.reduce((best, r) => (sign * (r.metrics[direction.metric] - best.metrics[direction.metric]) > 0 ? r : best));
}

/**
 * What changes when a run folder of the workspace is added, removed, or its experiments or summary
 * are written: the folder names with the size and time of those two files.
 */
export async function runsSignature(workspace: string): Promise<string> {
  const root = runsRoot(workspace);
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return '';
  }
  const parts = await Promise.all(
    names.map(async (name) => {
      const files = await Promise.all(
        [EXPERIMENTS_FILE, SUMMARY_FILE].map((file) =>
          stat(join(root, name, file)).then(
            (s) => `${s.size}@${s.mtimeMs}`,
            () => '-',
          ),
        ),
      );
      return `${name}:${files.join(',')}`;
    }),
  );
  return parts.join('\n');
}

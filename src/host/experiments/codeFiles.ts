import { realpath } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { NOT_CODE } from '../../core/experiments/codeSnapshot';
import type { ExperimentRecord } from '../../core/experiments/types';
import { snapshotPath } from './runData';

/**
 * Which files of an experiment's `record.code` can be written back, and where. Data and weights are
 * never restored (the recorder does not keep them; a record naming one anyway is skipped), and no
 * path may lead out of the workspace.
 */

export interface CodeFile {
  /** as the record names it: relative to the workspace, forward slashes */
  path: string;
  /** absolute, inside the workspace */
  target: string;
  /** absolute path of the snapshot in the run folder */
  snapshot: string;
}

export interface CodePlan {
  files: CodeFile[];
  /** data or weights named in the record */
  skipped: string[];
  /** paths that would resolve outside the workspace, or whose hash is malformed */
  refused: string[];
}

/** The absolute path of `rel` inside `workspace`, or undefined when it would be outside it. */
export function insideWorkspace(workspace: string, rel: string): string | undefined {
  if (rel === '' || isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.includes('\0')) return undefined;
  const target = resolve(workspace, rel);
  const path = relative(resolve(workspace), target);
  return path && !path.startsWith('..') && !isAbsolute(path) ? target : undefined;
}

/** True when `target` stays inside `workspace` with symbolic links resolved (of its nearest existing folder). */
export async function staysInside(workspace: string, target: string): Promise<boolean> {
  const root = await realpath(workspace).catch(() => undefined);
  let existing = target;
  let real: string | undefined;
  while (root && real === undefined) {
    real = await realpath(existing).catch(() => undefined);
    if (real !== undefined) break;
    if (dirname(existing) === existing) return false;
    existing = dirname(existing);
  }
  if (!root || real === undefined) return false;
  const path = relative(root, join(real, relative(existing, target)));
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

/** Data and model weights (by extension, as the recorder decides): never code, never restored. */
function isDataOrWeights(path: string): boolean {
  return NOT_CODE.has(extname(path).toLowerCase());
}

/** Sorts the files of `record.code` into those to write back, those skipped and those refused. */
export function planRestore(record: Pick<ExperimentRecord, 'code'>, runDir: string, workspace: string): CodePlan {
  const plan: CodePlan = { files: [], skipped: [], refused: [] };
  for (const [path, hash] of Object.entries(record.code ?? {})) {
    if (isDataOrWeights(path)) {
      plan.skipped.push(path);
      continue;
    }
    const target = insideWorkspace(workspace, path);
    const snapshot = snapshotPath(runDir, hash);
    if (target && snapshot) plan.files.push({ path, target, snapshot });
    else plan.refused.push(path);
  }
  return plan;
}

/** The file two experiments' code diff shows: the left one's script when both kept it, else a file both kept, else each one's script. */
export function filesToDiff(
  left: Pick<ExperimentRecord, 'script' | 'code'>,
  right: Pick<ExperimentRecord, 'script' | 'code'>,
): { left: string; right: string } | undefined {
  const leftCode = left.code ?? {};
  const rightCode = right.code ?? {};
  if (left.script in leftCode && left.script in rightCode) return { left: left.script, right: left.script };
  if (right.script in leftCode && right.script in rightCode) return { left: right.script, right: right.script };
  const common = Object.keys(leftCode).find((file) => file in rightCode && !isDataOrWeights(file));
  if (common) return { left: common, right: common };
  if (left.script in leftCode && right.script in rightCode) return { left: left.script, right: right.script };
  return undefined;
}

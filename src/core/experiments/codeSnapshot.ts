import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import { importedModules } from './codeFacts';

/** Model weights and data: never kept as code. */
export const NOT_CODE = new Set(['.pt', '.pth', '.ckpt', '.safetensors', '.bin', '.h5', '.npy', '.npz', '.parquet', '.csv', '.gguf']);
/** Bigger files are not code either. */
const MAX_SNAPSHOT_BYTES = 1 << 20;

export const CODE_FOLDER = 'code';

export interface CodeSnapshot {
  /** the script's text */
  text: string;
  /** sha256 of the script's text */
  hash: string;
  /** workspace-relative file → sha256: the script and the workspace modules it imports */
  files: Record<string, string>;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Keeps the script and the workspace modules it imports in the run folder's `code/`, named by
 * their hash (a file that did not change is stored once).
 */
export async function snapshotCode(root: string, script: string, runDir: string): Promise<CodeSnapshot | undefined> {
  const scriptPath = join(root, script);
  if (!isSnapshotable(scriptPath)) return undefined;
  const text = await readFile(scriptPath, 'utf8');
  const hash = keep(runDir, text);
  const files: Record<string, string> = { [script]: hash };
  for (const module of importedModules(text)) {
    const file = [join(dirname(scriptPath), `${module}.py`), join(root, `${module}.py`)].find(isSnapshotable);
    if (!file) continue;
    const rel = relative(root, file).split(sep).join('/');
    if (!rel.startsWith('..') && !(rel in files)) files[rel] = keep(runDir, readFileSync(file, 'utf8'));
  }
  return { text, hash, files };
}

/** The text of a snapshot, or undefined when the run folder does not hold it. */
export function snapshotText(runDir: string, hash: string): string | undefined {
  const path = join(runDir, CODE_FOLDER, hash);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * Takes the secrets out of the kept snapshots named by `hashes` (a key pasted into a script must
 * not stay in the run folder). A snapshot keeps the name of its original text's hash.
 */
export function redactSnapshots(runDir: string, hashes: Iterable<string>, redact: (text: string) => string): void {
  for (const hash of new Set(hashes)) {
    const text = snapshotText(runDir, hash);
    if (text === undefined) continue;
    const safe = redact(text);
    if (safe !== text) writeFileSync(join(runDir, CODE_FOLDER, hash), safe);
  }
}

function keep(runDir: string, text: string): string {
  const hash = sha256(text);
  const path = join(runDir, CODE_FOLDER, hash);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return hash;
}

function isSnapshotable(path: string): boolean {
  if (NOT_CODE.has(extname(path).toLowerCase())) return false;
  try {
    const stat = statSync(path);
    return stat.isFile() && stat.size <= MAX_SNAPSHOT_BYTES;
  } catch {
    return false;
  }
}

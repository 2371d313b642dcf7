import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { namedDataFiles } from './codeFacts';
import type { DataFile } from './types';

/** Data files bigger than this are described by size and time only. */
const MAX_HASHED_BYTES = 64 << 20;

/**
 * Size, time and hash of each data file the script names that exists in the workspace. Hashes are
 * remembered by path, size and time, so an unchanged file is read once per run.
 */
export class DataFiles {
  private readonly hashes = new Map<string, string>();
  /** The data files the code names that exist under `root` now (before the script writes any). */
  async find(code: string, root: string): Promise<DataFile[]> {
    const found: DataFile[] = [];
    for (const name of namedDataFiles(code)) {
      const path = resolve(root, name);
      const rel = relative(root, path);
      if (rel.startsWith('..') || rel === '') continue;
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile()) found.push({ path: rel.split(sep).join('/'), size: info.size, mtime: info.mtime.toISOString() });
    }
    return found;
  }

  /** The files with their hashes (below the size cap). */
  async hashed(files: readonly DataFile[], root: string): Promise<DataFile[]> {
    return Promise.all(files.map((file) => this.hashOne(file, root)));
  }

  private async hashOne(file: DataFile, root: string): Promise<DataFile> {
    if (file.size > MAX_HASHED_BYTES) return file;
    const key = `${root}\0${file.path}\0${file.size}\0${file.mtime}`;
    const hash = this.hashes.get(key) ?? (await hashFile(resolve(root, file.path)).catch(() => undefined));
    if (hash === undefined) return file;
    this.hashes.set(key, hash);
    return { ...file, sha256: hash };
  }
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => void hash.update(chunk))
      .on('end', () => resolvePromise(hash.digest('hex') as string))
      .on('error', reject);
  });
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { namedDataFiles } from './codeFacts';
import type { DataFile } from './types';

/** Data files bigger than this are described by size and time only. */
export const MAX_HASHED_BYTES = 64 << 20;

/**
 * Size, time and hash of each data file the script names that exists in the workspace. Hashes are
 * remembered by path, size and time, so an unchanged file is read once per run.
 */
export class DataFiles {
  private readonly hashes = new Map<string, string>();

  constructor(private readonly root: string) {}

  async describe(code: string, cwd: string): Promise<DataFile[]> {
    const found: DataFile[] = [];
    for (const name of namedDataFiles(code)) {
      const file = await this.describeOne(resolve(cwd, name));
      if (file) found.push(file);
    }
    return found;
  }

  private async describeOne(path: string): Promise<DataFile | undefined> {
    const rel = relative(this.root, path);
    if (rel.startsWith('..') || rel === '') return undefined;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const file: DataFile = { path: rel.split(sep).join('/'), size: info.size, mtime: info.mtime.toISOString() };
    if (info.size > MAX_HASHED_BYTES) return file;
    const key = `${file.path}\0${file.size}\0${file.mtime}`;
    const hash = this.hashes.get(key) ?? (await hashFile(path));
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


import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const GIT_TIMEOUT_MS = 5000;

/**
 * The workspace's commit and whether it has changes (the run folder aside), from one `git status`;
 * undefined outside a repository (found without starting git) or before the first commit.
 */
export async function gitState(root: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  if (!insideRepository(root)) return undefined;
  const status = await git(root, ['status', '--porcelain=v2', '--branch', '--', '.', ':(exclude).budgetml']);
  const commit = status && /^# branch\.oid ([0-9a-f]{7,})$/m.exec(status)?.[1];
  if (!status || !commit) return undefined;
  return { commit, dirty: status.split('\n').some((line) => line !== '' && !line.startsWith('#')) };
}

function insideRepository(folder: string): boolean {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: GIT_TIMEOUT_MS, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

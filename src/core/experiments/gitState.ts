import { execFile } from 'node:child_process';

const GIT_TIMEOUT_MS = 5000;

/** The workspace's commit and whether it has changes (the run folder aside); undefined outside a repository. */
export async function gitState(root: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  const commit = await git(root, ['rev-parse', 'HEAD']);
  if (commit === undefined) return undefined;
  const status = await git(root, ['status', '--porcelain', '--', '.', ':(exclude).budgetml']);
  return { commit: commit.trim(), dirty: (status ?? '').trim() !== '' };
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: GIT_TIMEOUT_MS, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

import { execFile } from 'node:child_process';

export interface CommandResult {
  /** null: the command did not start or was ended */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** why it did not start (ENOENT: not installed), when it did not */
  startError?: string;
}

/** Runs a short helper command (rsync, sbatch, scontrol, ssh) to its end and keeps what it printed. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: options.timeoutMs ?? 120_000, env: options.env, cwd: options.cwd, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { code?: unknown; killed?: boolean };
        if (failure.code === 'ENOENT') return resolve({ exitCode: null, stdout, stderr, startError: `${command} is not installed` });
        resolve({ exitCode: typeof failure.code === 'number' ? failure.code : null, stdout, stderr });
      },
    );
  });
}

/** The last non-empty line a failed helper printed, for a one-line report. */
export function lastLine(result: CommandResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return result.startError ?? lines.at(-1) ?? `exit code ${result.exitCode ?? 'none'}`;
}

/** A word for a POSIX shell: quoted unless it is plainly safe. */
export function shellWord(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** Long enough for a big script, short enough not to stall an edit. */
const COMPILE_TIMEOUT_MS = 20_000;
const SHOWN_NAME = 'the proposed script';

/**
 * Checks that Python source compiles (`python -m py_compile`), without running it.
 * Returns undefined when it compiles, otherwise the compiler's error text.
 * When the interpreter cannot be started or times out, the check is skipped (undefined):
 * a missing interpreter shows up clearly when the script is executed.
 * The temporary folder under `dir` (with its __pycache__) is always removed.
 */
export async function checkPythonCompiles(python: string, source: string, dir: string, signal?: AbortSignal): Promise<string | undefined> {
  signal?.throwIfAborted();
  await fs.mkdir(dir, { recursive: true });
  const tempDir = await fs.mkdtemp(path.join(dir, '.compile-check-'));
  const file = path.join(tempDir, 'proposed.py');
  try {
    await fs.writeFile(file, source, 'utf8');
    const result = await runCompiler(python, file, signal);
    if (result === undefined) return undefined;
    return result.split(file).join(SHOWN_NAME).trim() || 'The script does not compile.';
  } finally {
    await fs.rm(tempDir, { recursive: true, force: true });
  }
}

/** undefined: compiled (or could not be checked); a string: the compiler's complaint. */
function runCompiler(python: string, file: string, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ['-m', 'py_compile', file],
      { timeout: COMPILE_TIMEOUT_MS, signal, windowsHide: true, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(undefined);
        if (signal?.aborted) return reject(signal.reason ?? error);
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        const couldNotRun = typeof failure.code === 'string' || failure.killed === true;
        if (couldNotRun) return resolve(undefined);
        resolve(`${stderr}${stdout}`);
      },
    );
  });
}

import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../host';
import { Redactor } from '../secrets/redactor';
import { scriptEnvironment, WELL_KNOWN_KEY_VARIABLES, type ScriptEnvConfig } from '../secrets/scriptEnv';
import { OutputCapture } from '../text/outputCapture';
import type { BenchmarkFolder } from './task';
import { TaskError } from './taskError';

export interface SetUpDeps {
  host: Host;
  python: string;
  outputsDir: string;
  signal: AbortSignal;
  /** the whole environment of prepare.py; unset: this process's without the well-known provider keys */
  env?: Record<string, string>;
  /** prepare.py is ended with everything it started after this long (downloads can be slow: the script time limit) */
  timeoutSec?: number;
  /** takes the provider keys out of prepare.log and the error naming its last lines; unset: the well-known keys' */
  redactor?: Redactor;
}

/** Without a config: the well-known key variables are left out all the same. */
const NO_CONFIG: ScriptEnvConfig = { providers: {}, scriptEnv: { exclude: [], pass: [] } };

/** Lines of a failed prepare.py shown to the user. */
const SHOWN_LINES = 5;

/**
 * Makes an MLAgentBench task ready, once: `scripts/prepare.py` runs in `scripts/` unless the
 * `prepared` marker is there (as MLAgentBench does), then `env/` is copied into an empty workspace.
 * A failed preparation is a TaskError naming its last lines, before any model is asked anything.
 */
export async function setUpBenchmark(benchmark: BenchmarkFolder, workspace: string, deps: SetUpDeps): Promise<void> {
  await prepareOnce(benchmark, deps);
  copyFolder(benchmark.env, workspace);
}

async function prepareOnce({ scripts }: BenchmarkFolder, deps: SetUpDeps): Promise<void> {
  if (!existsSync(join(scripts, 'prepare.py')) || existsSync(join(scripts, 'prepared'))) return;
  // without the run's keys, the keys this process holds under the well-known names are the ones hidden
  const known = WELL_KNOWN_KEY_VARIABLES.map((name) => ({ name, value: process.env[name] }));
  const redactor = deps.redactor ?? new Redactor(known);
  const capture = new OutputCapture(join(deps.outputsDir, 'prepare.log'), { headChars: 0, tailChars: 4000, redactor });
  const env =
    deps.env ??
    scriptEnvironment(
      process.env,
      NO_CONFIG,
      known.map((k) => k.value),
    );
  const request = {
    command: deps.python,
    args: ['prepare.py'],
    cwd: scripts,
    purpose: 'eval' as const,
    display: `${deps.python} prepare.py`,
    env,
    timeoutSec: deps.timeoutSec,
  };
  let exit;
  try {
    exit = await deps.host.runScript(request, (chunk) => capture.write(chunk), deps.signal);
  } finally {
    await capture.close();
  }
  deps.signal.throwIfAborted();
  if (exit.timedOut)
    throw new TaskError(`the task's prepare.py did not finish within ${deps.timeoutSec} s (scriptTimeoutSec) in ${scripts}`);
  if (exit.exitCode !== 0) {
    const last = capture.text().trim().split('\n').slice(-SHOWN_LINES).join(' | ');
    throw new TaskError(`the task's prepare.py failed (exit ${exit.exitCode ?? 'none'}) in ${scripts}: ${last || 'it printed nothing'}`);
  }
  try {
    writeFileSync(join(scripts, 'prepared'), 'success');
  } catch (error) {
    deps.host.log(
      'warn',
      `prepare.py succeeded but its marker could not be written (${(error as Error).message}); it will run again next time`,
    );
  }
}

/** Copies a task's env/ into a new or empty folder; links stay links, as they were written. */
export function copyFolder(from: string, to: string): void {
  if (existsSync(to) && readdirSync(to).length > 0) return; // already set up: keep the agent's work
  if (!existsSync(from)) throw new TaskError(`${from} is not a folder`);
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
}

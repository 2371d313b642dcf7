import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Ending a script and everything it started, shared by the CLI and the extension.
 *
 * A process group is not enough: a background child may double-fork into a new session (`setsid`)
 * and leave the group. So every script process gets a per-run marker in its environment, which all
 * its descendants inherit, and when the script ends, times out or is cancelled every process whose
 * `/proc/<pid>/environ` carries the marker is ended too (Linux; elsewhere only the group is ended).
 */

/** The environment variable that marks a script run's processes. */
export const SCRIPT_TAG_VAR = 'BUDGETML_SCRIPT_TAG';

/** Milliseconds between asking a process to stop (SIGTERM) and killing it (SIGKILL). */
const KILL_GRACE_MS = 5000;

const POLL_MS = 50;
const KILL_ROUNDS = 20;

/** A fresh marker for one script run. */
export function newScriptTag(): string {
  return randomUUID();
}

/** The environment of a script process: `base` (exactly, when given) plus unbuffered Python output and the marker. */
export function scriptEnv(base: NodeJS.ProcessEnv | Record<string, string>, tag: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  return { ...env, PYTHONUNBUFFERED: '1', [SCRIPT_TAG_VAR]: tag };
}

/** Live processes (not this one, not `exclude`) whose environment carries the marker. */
export function taggedPids(tag: string, exclude: readonly number[] = []): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`\0${SCRIPT_TAG_VAR}=${tag}\0`);
  const skip = new Set([process.pid, ...exclude]);
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (skip.has(pid)) continue;
    try {
      // a leading NUL lets the first variable match like every other one
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`)]);
      if (environ.includes(needle)) found.push(pid);
    } catch {
      // gone, or another user's process
    }
  }
  return found;
}

export interface EndTaggedOptions {
  graceMs?: number;
  /** processes carrying the marker that must live on (the shell of a terminal that has it in its env) */
  exclude?: readonly number[];
}

/**
 * SIGTERM to every process carrying the marker, SIGKILL to those still alive after the grace period.
 * Resolves when none is left (or they could not be killed).
 */
export async function endTagged(tag: string, options: EndTaggedOptions = {}): Promise<void> {
  const exclude = options.exclude ?? [];
  const deadline = Date.now() + (options.graceMs ?? KILL_GRACE_MS);
  const asked = new Set<number>();
  let pids = taggedPids(tag, exclude);
  while (pids.length && Date.now() < deadline) {
    for (const pid of pids) if (!asked.has(pid) && signal(pid, 'SIGTERM')) asked.add(pid);
    await delay(POLL_MS);
    pids = taggedPids(tag, exclude);
  }
  for (let round = 0; pids.length && round < KILL_ROUNDS; round++) {
    for (const pid of pids) signal(pid, 'SIGKILL');
    await delay(POLL_MS);
    pids = taggedPids(tag, exclude);
  }
}

/**
 * Ends a script process spawned with `detached: true` (so it leads its own process group) and every
 * process carrying its marker: the group gets SIGTERM, then SIGKILL after the grace period. Also right
 * after a script ended on its own, to end what it left running. On Windows `taskkill /T /F` ends the tree.
 */
export function endScript(child: ChildProcess, tag: string, graceMs = KILL_GRACE_MS): Promise<void> {
  const pid = child.pid;
  if (process.platform === 'win32') {
    if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    }
    return Promise.resolve();
  }
  if (pid !== undefined) {
    signal(-pid, 'SIGTERM');
    setTimeout(() => signal(-pid, 'SIGKILL'), graceMs).unref();
  }
  return endTagged(tag, { graceMs });
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false; // already gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

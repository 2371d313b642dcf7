import { spawn, type ChildProcess } from 'node:child_process';

const GRACE_MS = 3000;

/**
 * Ends a process and everything it started. On POSIX the child must have been spawned with
 * `detached: true` so that it leads its own process group: the group gets SIGTERM, then SIGKILL
 * if it is still alive after a grace period. On Windows `taskkill /T /F` ends the tree.
 */
export function killTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), GRACE_MS);
  child.once('exit', () => {
    // the leader is gone; make sure no member of its group outlives it
    signalGroup(pid, 'SIGKILL');
    clearTimeout(timer);
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

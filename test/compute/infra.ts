import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScriptRequest } from '../../src/core/host';

/** The project's own infrastructure (scripts/infra/): started on demand, quick when already up. */
export const ROOT = resolve(__dirname, '../..');
export const INFRA_DIR = process.env.BUDGETML_INFRA_DIR ?? '/tmp/budgetml-infra';
export const SSH_CONFIG = join(INFRA_DIR, 'ssh/config');
export const SSH_HOST = 'budgetml-remote';
export const FAKE_GPU_DIR = join(ROOT, 'test/fixtures/fake-gpu');

/** Starts a piece of the infrastructure; a machine that cannot run it fails here, saying why. */
export function infraUp(script: 'slurm-up.sh' | 'sshd-up.sh'): void {
  execFileSync('bash', [join(ROOT, 'scripts/infra', script)], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
}

/** A fresh folder for a test. */
export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `budgetml-${prefix}-`));
}

/** Runs a command on the SSH remote and returns what it printed. */
export function onRemote(command: string): string {
  return execFileSync('ssh', ['-F', SSH_CONFIG, SSH_HOST, command], { encoding: 'utf8', timeout: 60_000 });
}

/** Running `script` with the system Python in `cwd`, as the core asks for an Execute Script. */
export function scriptRequest(cwd: string, script: string, extra: Partial<ScriptRequest> = {}): ScriptRequest {
  return { command: '/usr/bin/python3', args: [script], cwd, purpose: 'agent', display: `python3 ${script}`, ...extra };
}

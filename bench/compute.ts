import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ScriptExecutor } from '../src/core/host';
import { DetachedExecutor } from '../src/node/compute/detachedExecutor';
import { LocalExecutor } from '../src/node/compute/localExecutor';
import { SlurmExecutor } from '../src/node/compute/slurmExecutor';
import { SshExecutor } from '../src/node/compute/sshExecutor';
import { infraUp, scratch, scriptRequest, SSH_CONFIG, SSH_HOST } from '../test/compute/infra';

/**
 * What each compute backend adds to a script run: a script that only prints is run a few times on
 * each, in a workspace with a 5 MB data file, and the median wall time is compared with a plain child
 * process. SSH includes both rsync passes; SLURM the submission, the scheduling and the polling.
 */

const RUNS = 5;

export async function computeOverhead(): Promise<void> {
  infraUp('slurm-up.sh');
  infraUp('sshd-up.sh');
  const dir = scratch('bench-compute');
  writeFileSync(join(dir, 'train.py'), 'print("test_accuracy: 0.9")\n');
  writeFileSync(join(dir, 'data.csv'), 'x,y\n'.padEnd(5 * 1024 * 1024, '0,1\n'));
  const runDir = join(dir, '.budgetml');
  const local = new LocalExecutor();
  const backends: [string, ScriptExecutor][] = [
    ['child process (reference)', local],
    ['local detached (CLI)', new DetachedExecutor(join(runDir, 'detached'))],
    [
      'ssh (rsync up, run, rsync back)',
      new SshExecutor(
        { host: SSH_HOST, configFile: SSH_CONFIG, remoteDir: `budgetml-bench/${Date.now()}` },
        { log: () => {}, localPython: '/usr/bin/python3', exclude: ['.git', '.budgetml'], workspace: dir, runDir, local },
      ),
    ],
    [
      'slurm (sbatch, poll every 0.5 s)',
      new SlurmExecutor({ sbatchArgs: [], pollSec: 0.5 }, { log: () => {}, jobsDir: join(runDir, 'jobs') }),
    ],
  ];
  console.log(`\n## Compute backends (a script that only prints, ${RUNS} runs each, workspace with a 5 MB data file)`);
  let reference = 0;
  for (const [name, executor] of backends) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const exit = await executor.runScript(scriptRequest(dir, 'train.py'), () => {}, new AbortController().signal);
      if (exit.exitCode !== 0) throw new Error(`${name}: exit ${exit.exitCode} ${exit.failure ?? ''}`);
      times.push(performance.now() - started);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)];
    if (!reference) reference = median;
    const first = times[0];
    console.log(
      `${name.padEnd(34)}: median ${median.toFixed(0)} ms per run (first ${first.toFixed(0)} ms), overhead ${(median - reference).toFixed(0)} ms`,
    );
  }
}

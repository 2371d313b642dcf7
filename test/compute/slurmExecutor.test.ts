import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ScriptRequest } from '../../src/core/host';
import { SlurmExecutor } from '../../src/node/compute/slurmExecutor';
import { FAKE_GPU_DIR, infraUp, scratch, scriptRequest } from './infra';

/** Scripts run as jobs of a real one-node SLURM cluster (scripts/infra/slurm-up.sh). */
describe('SLURM backend: every script run is one sbatch job', () => {
  let dir: string;
  const logs: string[] = [];
  const executor = () =>
    new SlurmExecutor({ sbatchArgs: [], pollSec: 0.3 }, { log: (_, message) => logs.push(message), jobsDir: join(dir, 'run/jobs') });
  const request = (script: string, extra: Partial<ScriptRequest> = {}) =>
    scriptRequest(dir, script, { env: { PATH: `${FAKE_GPU_DIR}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: '/root' }, ...extra });

  before(() => {
    infraUp('slurm-up.sh');
    dir = scratch('slurm');
  });

  test('streams the job output while it runs, returns its exit code and the GPUs the job saw', async () => {
    writeFileSync(
      join(dir, 'train.py'),
      'import os, sys, time\nprint("epoch 1 loss=0.5")\ntime.sleep(2)\nprint("key:", os.environ.get("OPENAI_API_KEY"))\nprint("test_accuracy: 0.91")\nsys.exit(3)\n',
    );
    const chunks: { at: number; text: string }[] = [];
    const started = Date.now();
    const exit = await executor().runScript(
      request('train.py'),
      (text) => chunks.push({ at: Date.now() - started, text }),
      new AbortController().signal,
    );
    const ended = Date.now() - started;
    const { gpu, ...rest } = exit;
    assert.deepEqual(rest, { exitCode: 3, timedOut: false, cancelled: false });
    assert.equal(gpu?.kind, 'gpus', JSON.stringify(gpu));
    assert.match(gpu?.kind === 'gpus' ? gpu.gpus[0].name : '', /NVIDIA/);
    const output = chunks.map((c) => c.text).join('');
    assert.match(output, /epoch 1 loss=0\.5\n[\s\S]*test_accuracy: 0\.91/);
    assert.match(output, /key: None/, 'the job sees only the environment it was given');
    const first = chunks.find((c) => c.text.includes('epoch 1'));
    assert.ok(first && first.at < ended - 1000, `the first line arrived while the job ran (${first?.at} ms of ${ended} ms)`);
    assert.ok(
      logs.some((l) => /Submitted python3 train\.py as SLURM job \d+/.test(l)),
      logs.join('\n'),
    );
  });

  test('Stop cancels the job (scancel) and nothing of it runs on', async () => {
    const marker = join(dir, 'still-running');
    writeFileSync(
      join(dir, 'long.py'),
      `import time\nprint("started", flush=True)\ntime.sleep(8)\nopen(${JSON.stringify(marker)}, "w").write("x")\n`,
    );
    const stop = new AbortController();
    let output = '';
    const running = executor().runScript(
      request('long.py'),
      (text) => {
        output += text;
        if (output.includes('started')) stop.abort();
      },
      stop.signal,
    );
    const { exitCode, timedOut, cancelled } = await running;
    assert.deepEqual({ exitCode, timedOut, cancelled }, { exitCode: null, timedOut: false, cancelled: true });
    const jobs = execFileSync('squeue', ['-h', '-n', 'budgetml-long.py'], { encoding: 'utf8' });
    assert.equal(jobs.trim(), '', 'no job left in the queue');
    await new Promise((r) => setTimeout(r, 9000));
    assert.equal(existsSync(marker), false, 'the cancelled script did not finish');
  });

  test('the time limit cancels the job and says so', async () => {
    writeFileSync(join(dir, 'hang.py'), 'import time\ntime.sleep(60)\n');
    const exit = await executor().runScript(request('hang.py', { timeoutSec: 2 }), () => {}, new AbortController().signal);
    assert.deepEqual([exit.exitCode, exit.timedOut, exit.cancelled], [null, true, false]);
  });

  test('a job sbatch refuses is a failure that names the reason', async () => {
    const bad = new SlurmExecutor(
      { partition: 'no-such-partition', sbatchArgs: [], pollSec: 0.3 },
      { log: () => {}, jobsDir: join(dir, 'run/jobs') },
    );
    const exit = await bad.runScript(request('train.py'), () => {}, new AbortController().signal);
    assert.equal(exit.exitCode, null);
    assert.match(exit.failure ?? '', /^sbatch did not take the job: .*(partition|Invalid)/i);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeTarget, parseConfig } from '../../src/core/config';
import { jobEnd, parseJobState, parseSacct } from '../../src/node/compute/slurmState';

const SCONTROL = (state: string, exit = '0:0', reason = 'None') =>
  `JobId=42 JobName=budgetml-train.py UserId=root(0) GroupId=root(0) Priority=1 JobState=${state} Reason=${reason} Dependency=(null) ExitCode=${exit} RunTime=00:00:03`;

describe('SLURM job states', () => {
  test('scontrol show job -o: state, reason and exit code', () => {
    assert.deepEqual(parseJobState(SCONTROL('PENDING', '0:0', 'Resources')), {
      name: 'PENDING',
      reason: 'Resources',
      exitCode: 0,
      endSignal: 0,
      done: false,
    });
    assert.equal(parseJobState(SCONTROL('COMPLETED'))?.done, true);
    assert.deepEqual(parseJobState(SCONTROL('FAILED', '3:0', 'NonZeroExitCode')), {
      name: 'FAILED',
      reason: 'NonZeroExitCode',
      exitCode: 3,
      endSignal: 0,
      done: true,
    });
    assert.equal(parseJobState('slurm_load_jobs error: Invalid job id specified'), undefined);
  });

  test('sacct -P: the first line, "CANCELLED by 0" read as CANCELLED', () => {
    assert.deepEqual(parseSacct('CANCELLED by 0|0:15|None\n'), {
      name: 'CANCELLED',
      reason: 'None',
      exitCode: 0,
      endSignal: 15,
      done: true,
    });
    assert.equal(parseSacct(''), undefined);
  });

  test('how an ended job counts: its exit code, or why it did not finish', () => {
    const ended = (state: string, exit?: string) => jobEnd(parseJobState(SCONTROL(state, exit))!, { timedOut: false, cancelled: false });
    assert.deepEqual(ended('COMPLETED'), { exitCode: 0, timedOut: false, cancelled: false });
    assert.deepEqual(ended('FAILED', '2:0'), { exitCode: 2, timedOut: false, cancelled: false });
    assert.match(ended('FAILED', '0:9').failure ?? '', /ended by signal 9/);
    assert.match(ended('OUT_OF_MEMORY', '0:125').failure ?? '', /more memory than it asked for.*--mem/);
    assert.match(ended('TIMEOUT', '0:15').failure ?? '', /time limit.*--time/);
    assert.match(ended('CANCELLED', '0:15').failure ?? '', /cancelled outside the run/);
    assert.match(ended('NODE_FAIL').failure ?? '', /ended NODE_FAIL/);
    const stopped = jobEnd(parseJobState(SCONTROL('CANCELLED', '0:15'))!, { timedOut: false, cancelled: true });
    assert.deepEqual(stopped, { exitCode: null, timedOut: false, cancelled: true });
  });
});

describe('where a script runs, as the sidebar and the log say it', () => {
  test('this machine (nothing said), an SSH host and folder (the scoring stays here), SLURM with its partition', () => {
    assert.equal(computeTarget({ backend: 'local' }, 'agent'), undefined);
    const ssh = { backend: 'ssh' as const, ssh: { host: 'gpu-box', remoteDir: 'work/proj' } };
    assert.equal(computeTarget(ssh, 'agent'), 'gpu-box:work/proj');
    assert.equal(computeTarget(ssh, 'eval'), undefined);
    assert.equal(computeTarget({ backend: 'slurm', slurm: { partition: 'gpu', sbatchArgs: [], pollSec: 2 } }, 'eval'), 'SLURM (gpu)');
    assert.equal(computeTarget({ backend: 'slurm' }, 'agent'), 'SLURM');
  });

  test('the settings name what a backend lacks', () => {
    assert.throws(
      () => parseConfig({ compute: { backend: 'ssh' } }),
      /compute\.backend is "ssh" but compute\.ssh \{ host, remoteDir \} is not set/,
    );
    assert.throws(
      () => parseConfig({ compute: { backend: 'ssh', ssh: { host: '-oProxyCommand=x', remoteDir: 'w' } } }),
      /compute\.ssh\.host/,
    );
    assert.equal(parseConfig({ compute: { backend: 'slurm' } }).compute.backend, 'slurm');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, writeConfig, type CliResult } from '../fixtures/cliRunner';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { DIABETES_TASK, ridgeReplies, RIDGE_EDIT } from '../fixtures/ridgeTrajectory';
import { infraUp, onRemote, SSH_CONFIG, SSH_HOST } from './infra';

/** `budgetml run` on an MLAgentBench task with every script (baseline, Execute Script, final scoring) on a compute backend. */
async function solve(compute: Record<string, unknown>): Promise<{ result: CliResult; run: string; server: FakeServer }> {
  const steps = [
    RIDGE_EDIT,
    { action: 'Execute Script', input: { script_name: 'train.py' } },
    { action: 'Final Answer', input: { final_answer: 'Ridge regression lowers the test MAE.' } },
  ];
  const server = await startFakeOpenAI({ replies: ridgeReplies(steps) });
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-compute-'));
  const run = join(dir, 'run');
  const config = writeConfig(dir, server.url, { compute });
  const result = await runCli(['run', DIABETES_TASK, '--config', config, '--out', run, '--json'], { FAKE_OPENAI_KEY: 'sk-test-compute' });
  return { result, run, server };
}

function experiments(run: string): { kind: string; exitCode: number; outcome: string; metrics: Record<string, number> }[] {
  return readFileSync(join(run, 'experiments.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('budgetml run with every script as a SLURM job', () => {
  let solved: Awaited<ReturnType<typeof solve>>;
  before(async () => {
    infraUp('slurm-up.sh');
    solved = await solve({ backend: 'slurm', slurm: { pollSec: 0.3 } });
  });
  after(() => solved?.server.close());

  test('solves the task: baseline, the edited run and the final scoring measured from the jobs', () => {
    const { result, run } = solved;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /scripts run on SLURM/);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.status, 'final_answer');
    assert.ok(Math.abs(summary.baseline - 46.2648) < 0.01, `baseline ${summary.baseline}`);
    assert.ok(summary.score < summary.baseline * 0.9, `score ${summary.score}`);
    assert.equal(summary.verdict.verdict, 'improved');
    const runs = experiments(run);
    assert.ok(runs.length >= 3, `${runs.length} experiments`);
    assert.ok(runs.every((r) => r.outcome === 'ok'));
    const jobs = readFileSync(join(run, 'log.jsonl'), 'utf8');
    assert.match(jobs, /test MAE: 40\.\d+/);
  });
});

describe('budgetml run with every script on the SSH remote', () => {
  let solved: Awaited<ReturnType<typeof solve>>;
  const remoteDir = `budgetml-cli/${Date.now()}`;
  before(async () => {
    infraUp('sshd-up.sh');
    solved = await solve({ backend: 'ssh', ssh: { host: SSH_HOST, configFile: SSH_CONFIG, remoteDir } });
  });
  after(() => solved?.server.close());

  test('solves the task with the scripts run as the remote user, in the remote folder', () => {
    const { result, run } = solved;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /scripts run on budgetml-remote:budgetml-cli\//);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.status, 'final_answer');
    assert.equal(summary.verdict.verdict, 'improved');
    assert.ok(experiments(run).every((r) => r.outcome === 'ok'));
    assert.match(onRemote(`cat ${remoteDir}/train.py`), /Ridge\(alpha=0\.1\)/, 'the edit reached the remote');
  });
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { benchConfigs, benchCost, billed, BENCH_KEY, startBenchServer } from '../fixtures/benchFixture';
import { copyTask, runCli, type CliResult } from '../fixtures/cliRunner';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { infraUp } from './infra';

/** `budgetml bench --scheduler slurm`: the runs as one job array of the project's one-node SLURM. */
describe('budgetml bench on SLURM: one job array, one array task per run', () => {
  let server: FakeServer;
  let out: string;
  let result: CliResult;

  before(async () => {
    infraUp('slurm-up.sh');
    server = await startBenchServer();
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-bench-array-'));
    const { cheap, expert } = benchConfigs(dir, server.url);
    out = join(dir, 'bench');
    const args = ['bench', copyTask('diabetes-tree'), '--config', cheap, '--config', expert, '--runs', '2', '--parallel', '2'];
    result = await runCli([...args, '--scheduler', 'slurm', '--out', out, '--json'], BENCH_KEY);
  });
  after(() => server?.close());

  test('every run ran as an array task and finished; the runs’ costs are what the server billed', () => {
    assert.equal(result.code, 0, result.stderr);
    const results = JSON.parse(result.stdout);
    assert.deepEqual(
      results.runs.map((r: { config: string; run: number; status: string }) => `${r.config} ${r.run} ${r.status}`),
      ['cheap 1 final_answer', 'cheap 2 final_answer', 'expert 1 final_answer', 'expert 2 final_answer'],
    );
    const logs = readdirSync(join(out, 'array')).filter((f) => f.endsWith('.log'));
    assert.deepEqual(logs.sort(), ['0.log', '1.log', '2.log', '3.log'], 'one SLURM output file per array task');
    assert.ok(Math.abs(benchCost(results) - billed(server)) < 1e-12, `runs ${benchCost(results)}, server ${billed(server)}`);
    assert.ok(existsSync(join(out, 'report.md')));
    const plan = JSON.parse(readFileSync(join(out, 'array/plan.json'), 'utf8'));
    assert.equal(plan.runs.length, 4);
  });
});

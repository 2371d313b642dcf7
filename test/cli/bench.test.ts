import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { benchConfigs, benchCost, billed, BENCH_KEY, startBenchServer } from '../fixtures/benchFixture';
import { copyTask, ROOT, runCli, type CliResult } from '../fixtures/cliRunner';
import type { FakeServer } from '../fixtures/fakeLlmScript';

describe('budgetml bench: two tasks × two configurations × 3 runs, two at a time', () => {
  let server: FakeServer;
  let out: string;
  let result: CliResult;

  before(async () => {
    server = await startBenchServer();
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-bench-runner-'));
    const { cheap, expert } = benchConfigs(dir, server.url);
    out = join(dir, 'bench');
    const tasks = [copyTask('diabetes-tree'), copyTask('house-price')];
    result = await runCli(
      ['bench', ...tasks, '--config', cheap, '--config', expert, '--runs', '3', '--parallel', '2', '--out', out, '--json'],
      BENCH_KEY,
    );
  });
  after(() => server?.close());

  test('every run is an ordinary run in runs/<task>/<config>/<n>/, and results.json lists them', () => {
    assert.equal(result.code, 0, result.stderr);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(JSON.parse(result.stdout), results);
    assert.equal(results.runs.length, 12);
    for (const run of results.runs) {
      assert.equal(run.status, 'final_answer', JSON.stringify(run));
      assert.equal(run.runDir, join(out, 'runs', run.task, run.config, String(run.run)));
      assert.ok(existsSync(join(run.runDir, 'log.jsonl')) && existsSync(join(run.runDir, 'experiments.jsonl')));
      assert.equal(typeof run.baseline, 'number');
      assert.equal(
        run.success,
        false,
        'nothing was changed: no run improved (house-price scores a missing submission 1e10, lower is better)',
      );
    }
  });

  test('the sum of the runs’ costs is what the server billed', () => {
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const total = benchCost(results);
    assert.ok(total > 0);
    assert.ok(Math.abs(total - billed(server)) < 1e-12, `runs ${total}, server ${billed(server)}`);
  });

  test('each configuration has its figures, overall and per task; the expert costs more per run', () => {
    const { configs: byConfig } = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(
      byConfig.map((c: { name: string; runs: number; successRate: number }) => [c.name, c.runs, c.successRate]),
      [
        ['cheap', 6, 0],
        ['expert', 6, 0],
      ],
    );
    const [cheap, expert] = byConfig;
    assert.ok(expert.meanCostUsd > cheap.meanCostUsd * 3, `${expert.meanCostUsd} vs ${cheap.meanCostUsd}`);
    assert.deepEqual(Object.keys(cheap.tasks), ['diabetes-tree', 'house-price']);
    assert.equal(cheap.tasks['house-price'].runs, 3);
    assert.equal(cheap.meanSteps, 1);
  });

  test('never more than two runs at a time, and two at some moment', () => {
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const spans = results.runs.map((r: { runDir: string }) => JSON.parse(readFileSync(join(r.runDir, 'bench-run.json'), 'utf8')));
    const overlap = (t: number) => spans.filter((s: { startedAt: number; endedAt: number }) => s.startedAt <= t && t < s.endedAt).length;
    const most = Math.max(...spans.map((s: { startedAt: number }) => overlap(s.startedAt)));
    assert.equal(most, 2);
  });

  test('report.md has the paper’s table and the cost ratio; report.html the same and a chart, with nothing remote', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /\| Task \| .*: success \| .*: \$ per run \|/);
    assert.match(md, /\| diabetes-tree \| 0 % \(0\/3\) \| \$/);
    assert.match(md, /\| house-price \| 0 % \(0\/3\) \| \$/);
    assert.match(md, /\| \*\*Average\*\* \| 0 % \(0\/6\) \| \$/);
    assert.match(md, /Cost per run against .*×/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<table>[\s\S]*diabetes-tree[\s\S]*<svg/);
    assert.doesNotMatch(html, /<script|https?:\/\/|src=/);
  });
});

describe('budgetml bench: Ctrl-C stops cleanly, --resume continues and skips the finished runs', () => {
  test('a bench stopped during its second run, then resumed', async () => {
    // every reply takes a second, so the stop lands while a run waits for its model
    const server = await startBenchServer(1000);
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-bench-resume-'));
    const { cheap } = benchConfigs(dir, server.url);
    const out = join(dir, 'bench');
    const args = ['bench', copyTask('diabetes-tree'), '--config', cheap, '--runs', '3', '--out', out];
    const bench = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...BENCH_KEY },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    bench.stderr.on('data', (d) => (stderr += d));
    const first = join(out, 'runs/diabetes-tree/cheap/1/summary.json');
    // the second run has asked its planner (its reply is on the way)
    while (!(existsSync(first) && server.requests.length >= 2)) await new Promise((r) => setTimeout(r, 50));
    bench.kill('SIGINT');
    const code = await new Promise((done) => bench.once('close', done));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopped: continue with budgetml bench … --out .* --resume/);
    const stopped = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(
      stopped.runs.map((r: { status: string }) => r.status),
      ['final_answer', 'cancelled', 'not run'],
    );
    const firstWritten = statSync(first).mtimeMs;

    const resumed = await runCli([...args, '--resume', '--json'], BENCH_KEY);
    await server.close();
    assert.equal(resumed.code, 0, resumed.stderr);
    const results = JSON.parse(resumed.stdout);
    assert.deepEqual(
      results.runs.map((r: { status: string }) => r.status),
      ['final_answer', 'final_answer', 'final_answer'],
    );
    assert.equal(statSync(first).mtimeMs, firstWritten, 'the finished run was not run again');
    const log = readFileSync(join(out, 'runs/diabetes-tree/cheap/2/log.jsonl'), 'utf8');
    assert.equal((log.match(/"type":"resume"/g) ?? []).length, 1, 'the stopped run was resumed in its folder');
    // the request the stop cut off was never billed by the server; the run booked it at its estimate, once
    const records = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const cut = records.filter((r) => r.type === 'call' && r.error).reduce((sum, r) => sum + r.usd, 0);
    assert.ok(cut > 0, 'the cut-off call is booked');
    assert.ok(
      Math.abs(benchCost(results) - (billed(server) + cut)) < 1e-9,
      `runs ${benchCost(results)}, server ${billed(server)} + cut ${cut}`,
    );
  });
});

describe('budgetml bench --budget: the whole bench never passes it', () => {
  test('three expert runs under a budget that pays for the first: the server bills no more than the budget', async () => {
    const server = await startBenchServer();
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-bench-budget-'));
    const { expert } = benchConfigs(dir, server.url);
    const out = join(dir, 'bench');
    // a planner call's worst case (its ~900-token prompt and at least 256 tokens of answer) is about $0.005 at the expert's prices
    const budget = 0.006;
    const result = await runCli(
      ['bench', copyTask('diabetes-tree'), '--config', expert, '--runs', '3', '--budget', String(budget), '--out', out, '--json'],
      BENCH_KEY,
    );
    await server.close();
    assert.equal(result.code, 0, result.stderr);
    const results = JSON.parse(result.stdout);
    assert.ok(billed(server) > 0 && billed(server) <= budget, `the server billed ${billed(server)}`);
    assert.ok(benchCost(results) <= budget, `the runs booked ${benchCost(results)}`);
    const statuses = results.runs.map((r: { status: string }) => r.status);
    assert.equal(statuses[0], 'final_answer', statuses.join());
    assert.ok(
      statuses.some((s: string) => s === 'not run' || s === 'budget_exhausted'),
      statuses.join(),
    );
  });
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI_PRICES, copyTask, runCli, writeConfig, type CliResult } from '../fixtures/cliRunner';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';

const KEY = { FAKE_OPENAI_KEY: 'sk-test-bench-runner' };
const FINAL = { action: 'Final Answer', input: { final_answer: 'The baseline stays; nothing was changed.' } };

/** A server that answers every planner request of either model with a Final Answer, as often as asked. */
function startServer(): Promise<FakeServer> {
  return startFakeOpenAI({
    replies: ['cheap-planner', 'expert'].map((model) => ({ match: PLANNER_MATCH, model, text: plannerReply(FINAL, 1), repeat: -1 })),
  });
}

/** Two configurations, cheap.json (the cheap planner) and expert.json (the expert for everything). */
function configs(dir: string, url: string): { cheap: string; expert: string } {
  const cheap = join(dir, 'cheap.json');
  renameSync(writeConfig(mkdtempSync(join(dir, 'c-')), url), cheap);
  const expert = join(dir, 'expert.json');
  const models = { planner: ['openai:expert'], worker: ['openai:expert'], expert: 'openai:expert' };
  renameSync(writeConfig(mkdtempSync(join(dir, 'e-')), url, { models }), expert);
  return { cheap, expert };
}

/** What the fake server billed, at the CLI tests' prices. */
function ledger(server: FakeServer): number {
  return server.requests.reduce((sum, r) => {
    const price = CLI_PRICES[`openai:${(r.body as { model: string }).model}` as keyof typeof CLI_PRICES];
    const u = r.usage;
    return u
      ? sum + ((u.input - u.cachedInput) * price.input + u.cachedInput * (price.cachedInput ?? price.input) + u.output * price.output) / 1e6
      : sum;
  }, 0);
}

describe('budgetml bench: two tasks × two configurations × 3 runs, two at a time', () => {
  let server: FakeServer;
  let out: string;
  let result: CliResult;

  before(async () => {
    server = await startServer();
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-bench-runner-'));
    const { cheap, expert } = configs(dir, server.url);
    out = join(dir, 'bench');
    const tasks = [copyTask('diabetes-tree'), copyTask('house-price')];
    result = await runCli(
      ['bench', ...tasks, '--config', cheap, '--config', expert, '--runs', '3', '--parallel', '2', '--out', out, '--json'],
      KEY,
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
    const total = results.runs.reduce((sum: number, r: { costUsd: number }) => sum + r.costUsd, 0);
    assert.ok(total > 0);
    assert.ok(Math.abs(total - ledger(server)) < 1e-12, `runs ${total}, server ${ledger(server)}`);
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

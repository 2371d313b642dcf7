import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI_PRICES, runCli, writeConfig } from '../fixtures/cliRunner';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { DIABETES_TASK, ridgeReplies, RIDGE_EDIT } from '../fixtures/ridgeTrajectory';

const TASK = DIABETES_TASK;
const PRICES = CLI_PRICES;

describe('budgetml run on an MLAgentBench task, from a scripted trajectory with real Python', () => {
  let server: FakeServer;
  let dir: string;
  let result: { code: number | null; stdout: string; stderr: string };

  before(async () => {
    const steps = [
      { action: 'List Files', input: { dir_path: '.' } },
      { action: 'Inspect Script Lines', input: { script_name: 'train.py', start_line_number: '1', end_line_number: '20' } },
      RIDGE_EDIT,
      { action: 'Execute Script', input: { script_name: 'train.py' } },
      { action: 'Final Answer', input: { final_answer: 'Ridge regression lowers the test MAE from about 46.3 to about 40.7.' } },
    ];
    server = await startFakeOpenAI({ replies: ridgeReplies(steps) });
    dir = mkdtempSync(join(tmpdir(), 'budgetml-cli-'));
    const config = writeConfig(dir, server.url);
    result = await runCli(['run', TASK, '--config', config, '--out', join(dir, 'run'), '--json'], { FAKE_OPENAI_KEY: 'sk-test-e2e' });
  });

  after(async () => server?.close());

  test('exits 0 and prints summary.json', () => {
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout);
    const saved = JSON.parse(readFileSync(join(dir, 'run/summary.json'), 'utf8'));
    assert.deepEqual(printed, saved);
  });

  test('the measured improvement is a success', () => {
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.status, 'final_answer');
    assert.equal(summary.steps, 5);
    assert.ok(Math.abs(summary.baseline - 46.2648) < 0.01, `baseline ${summary.baseline}`);
    assert.ok(summary.score < summary.baseline * 0.9, `score ${summary.score}`);
    assert.ok(summary.improvement > 0.1);
    assert.equal(summary.success, true);
    assert.match(summary.finalAnswer, /Ridge/);
  });

  test('cost equals the server-reported tokens times the prices', () => {
    const summary = JSON.parse(result.stdout);
    let expected = 0;
    for (const request of server.requests) {
      const body = request.body as { model: string };
      const price = PRICES[`openai:${body.model}` as keyof typeof PRICES];
      const u = request.usage!;
      expected += ((u.input - u.cachedInput) * price.input + u.cachedInput * price.cachedInput + u.output * price.output) / 1e6;
    }
    assert.ok(Math.abs(summary.cost.usd - expected) < 1e-12, `${summary.cost.usd} vs ${expected}`);
    assert.equal(summary.tokens.input, server.totals.input);
    assert.equal(summary.tokens.output, server.totals.output);
    assert.equal(server.requests.length, 6);
  });

  test('the run folder holds the log, the workspace, outputs and a backup', () => {
    const run = join(dir, 'run');
    const log = readFileSync(join(run, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(log.filter((r) => r.type === 'step').length, 5);
    assert.equal(log.filter((r) => r.type === 'call').length, 6);
    assert.match(readFileSync(join(run, 'workspace/train.py'), 'utf8'), /Ridge\(alpha=0.1\)/);
    assert.ok(existsSync(join(run, 'outputs')));
    const executed = log.find((r) => r.type === 'step' && r.response.action === 'Execute Script');
    assert.match(executed.observation, /test MAE: 40\.\d+/);
    assert.ok(existsSync(join(run, executed.artifacts.output)));
    assert.ok(!readFileSync(join(run, 'log.jsonl'), 'utf8').includes('sk-test-e2e'), 'the key never reaches the log');
  });
});

describe('budgetml run: bad arguments and config exit 2 with one line', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['no task', ['run'], {}, /no task given/],
    ['unknown option', ['run', TASK, '--fast'], {}, /unknown option --fast/],
    ['bad budget', ['run', TASK, '--budget', '-1'], {}, /--budget must be a positive number/],
    ['missing task folder', ['run', '/nonexistent/task', '--budget', '1'], { OPENAI_API_KEY: 'x', GEMINI_API_KEY: 'y' }, /does not exist/],
    [
      'missing key',
      ['run', TASK],
      { OPENAI_API_KEY: '', GEMINI_API_KEY: '' },
      /no API key for (gemini|openai): set the environment variable/,
    ],
  ];
  for (const [name, args, env, message] of cases) {
    test(name, async () => {
      const result = await runCli(args, env);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    });
  }

  test('an unreadable config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-cli-'));
    writeFileSync(join(dir, 'bad.json'), '{ "budgetUsd": "lots" }');
    const result = await runCli(['run', TASK, '--config', join(dir, 'bad.json')], {});
    assert.equal(result.code, 2);
    assert.match(result.stderr, /budgetUsd/);
  });
});

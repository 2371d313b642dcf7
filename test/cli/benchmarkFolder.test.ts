import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyTask, runCli, writeConfig, type CliResult } from '../fixtures/cliRunner';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { fenced, plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';

/**
 * An MLAgentBench task folder as MLAgentBench ships them: prepare.py writes the data, eval.py only
 * has get_score(submission_folder="../env") and ignores its arguments, train.py appends to
 * submission.csv, and the task is on MLAgentBench's lower-is-better list by its name.
 */
const KEY = { FAKE_OPENAI_KEY: 'sk-test-bench' };

function ridge(train: string): string {
  return train
    .replace('from sklearn.tree import DecisionTreeRegressor', 'from sklearn.linear_model import Ridge')
    .replace('DecisionTreeRegressor(max_depth=1, random_state=1)', 'Ridge(alpha=0.01)');
}

describe('an unchanged MLAgentBench task folder (house-price): prepared, scored by get_score, lower is better', () => {
  let server: FakeServer;
  let task: string;
  let run: string;
  let result: CliResult;

  before(async () => {
    task = copyTask('house-price');
    const train = readFileSync(join(task, 'env/train.py'), 'utf8');
    const steps = [
      {
        action: 'Edit Script (AI)',
        input: { script_name: 'train.py', edit_instruction: 'Use Ridge regression with alpha 0.01.', save_name: 'train.py' },
      },
      { action: 'Execute Script', input: { script_name: 'train.py' } },
      { action: 'Final Answer', input: { final_answer: 'Ridge regression: valid MAE 41.45, test MAE 99.99 instead of 56.61.' } },
    ];
    server = await startFakeOpenAI({
      replies: [
        ...steps.map((s, i) => ({ match: PLANNER_MATCH, model: 'cheap-planner', text: plannerReply(s, i + 1) })),
        { match: 'Use Ridge regression', model: 'cheap-worker', text: fenced(ridge(train)) },
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-bench-'));
    run = join(dir, 'run');
    result = await runCli(['run', task, '--config', writeConfig(dir, server.url), '--out', run, '--json'], KEY);
  });

  after(async () => server?.close());

  test('prepare.py ran once in scripts/ and left the marker', () => {
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(join(task, 'scripts/prepared'), 'utf8'), 'success');
    assert.ok(existsSync(join(run, 'workspace/train.csv')), 'the prepared data reached the workspace');
    assert.match(readFileSync(join(run, 'outputs/prepare.log'), 'utf8'), /prepared 309 training and 133 test rows/);
  });

  test('baseline and final are scored by get_score on the right folders, lower is better', () => {
    const summary = JSON.parse(result.stdout);
    assert.ok(summary.baseline > 50 && summary.baseline < 60, `baseline ${summary.baseline}`);
    assert.ok(summary.score > 40 && summary.score < 50, `score ${summary.score}`);
    assert.notEqual(summary.baseline, 1e10);
    assert.equal(summary.verdict.verdict, 'improved');
    assert.equal(summary.verdict.higherIsBetter, false);
    assert.ok(summary.improvement > 0.1, `improvement ${summary.improvement}`);
    assert.equal(summary.success, true);
  });

  test("the baseline's appended submission.csv never reaches the agent's workspace", () => {
    const submission = readFileSync(join(run, 'workspace/submission.csv'), 'utf8');
    // the agent ran train.py once in its workspace: one header, none from the baseline
    assert.equal(submission.split('\n').filter((l) => l === 'prediction').length, 1);
    assert.equal(
      readFileSync(join(run, 'baseline-env/submission.csv'), 'utf8')
        .split('\n')
        .filter((l) => l === 'prediction').length,
      1,
    );
  });

  test('every script run is an experiment with parsed metrics and what changed', () => {
    const lines = readFileSync(join(run, 'experiments.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((e) => [e.kind, e.label ?? null, e.step]),
      [
        ['baseline', null, 0],
        ['score', 'baseline', 0],
        ['execute', null, 2],
        ['score', 'final', 3],
      ],
    );
    assert.deepEqual(
      lines.map((e) => e.id),
      [1, 2, 3, 4],
    );
    const [baseline, baseScore, second, final] = lines;
    assert.equal(baseline.metrics['valid mae'], 54.6686);
    assert.deepEqual(
      baseline.data.map((d: { path: string }) => d.path),
      ['test.csv', 'train.csv'],
    );
    assert.equal(baseScore.taskMetric, 'score');
    assert.equal(baseScore.metrics.score, JSON.parse(result.stdout).baseline);
    assert.equal(final.metrics.score, JSON.parse(result.stdout).score);
    assert.equal(second.metrics['valid mae'], 41.4535);
    assert.equal(second.changedSinceParent.parent, baseline.id);
    assert.match(second.changedSinceParent.diff, /\+model = Ridge\(alpha=0\.01\)/);
    assert.deepEqual(second.changedSinceParent.hyperParams['Ridge.alpha'], [null, 0.01]);
    assert.equal(second.env.packages.pandas === undefined, false, JSON.stringify(second.env));
    assert.match(second.env.python, /^3\.\d+/);
    assert.deepEqual(
      second.data.map((d: { path: string }) => d.path),
      ['test.csv', 'train.csv'],
    );
    assert.match(second.data[1].sha256, /^[0-9a-f]{64}$/);
    assert.equal(readFileSync(join(run, 'code', second.codeHash), 'utf8'), readFileSync(join(run, 'workspace/train.py'), 'utf8'));
  });

  test('the final answer’s unmeasured number is flagged, the measured ones are not', () => {
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.experiments, 4);
    assert.deepEqual(
      summary.unverifiedClaims.map((c: { text: string }) => c.text),
      ['99.99'],
    );
    assert.equal(summary.unverifiedClaims[0].where, 'final answer');
  });

  test('the planner reads each result under the script output that produced it', () => {
    const prompt = JSON.stringify((server.requests[server.requests.length - 1].body as { messages: unknown }).messages);
    assert.match(
      prompt,
      /Recorded as experiment #3 step 2 train.py: ok [\d.]+ s \| valid mae 41.453 \| changed since #1: DecisionTreeRegressor.max_depth 1→∅, .*Ridge.alpha ∅→0.01/,
    );
  });
});

describe('a task that cannot be run or scored stops before any model call, with exit 2 and one line', () => {
  let server: FakeServer;
  before(async () => (server = await startFakeOpenAI({ replies: [] })));
  after(async () => server?.close());

  async function runTask(task: string): Promise<CliResult> {
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-bench-'));
    return runCli(['run', task, '--config', writeConfig(dir, server.url), '--out', join(dir, 'run')], KEY);
  }

  function assertOneLine(result: CliResult, message: RegExp): void {
    assert.equal(result.code, 2, result.stderr);
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('budgetml:'));
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], message);
    assert.equal(server.requests.length, 0, 'no model was asked');
  }

  test('prepare.py fails (it needs a download): its last lines', async () => {
    const task = copyTask('house-price');
    writeFileSync(
      join(task, 'scripts/prepare.py'),
      'import sys\nprint("downloading from kaggle")\nsys.exit("401 - Unauthorized: kaggle.json not found")\n',
    );
    assertOneLine(await runTask(task), /prepare\.py failed \(exit 1\).*401 - Unauthorized: kaggle\.json not found/);
    assert.ok(!existsSync(join(task, 'scripts/prepared')));
  });

  test('the interpreter lacks a module the training script imports', async () => {
    const task = copyTask('house-price');
    const train = readFileSync(join(task, 'env/train.py'), 'utf8');
    writeFileSync(join(task, 'env/train.py'), `import lightgbm_not_installed_here\n${train}`);
    assertOneLine(
      await runTask(task),
      /interpreter \/usr\/bin\/python3 has no module lightgbm_not_installed_here \(imported by train\.py\)/,
    );
  });

  test('the baseline crashes', async () => {
    const task = copyTask('house-price');
    writeFileSync(join(task, 'env/train.py'), 'import pandas as pd\npd.read_csv("no-such-file.csv")\n');
    assertOneLine(
      await runTask(task),
      /baseline run of train\.py with \/usr\/bin\/python3 failed \(exit 1\): FileNotFoundError: .*no-such-file\.csv/,
    );
  });

  test('an interpreter that does not exist', async () => {
    const task = copyTask('house-price');
    writeFileSync(join(task, 'scripts/prepared'), 'success'); // prepared earlier with another interpreter
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-bench-'));
    const result = await runCli(
      ['run', task, '--config', writeConfig(dir, server.url), '--out', join(dir, 'run'), '--python', '/nonexistent/python3'],
      KEY,
    );
    assertOneLine(result, /Python interpreter \/nonexistent\/python3 was not found/);
  });
});

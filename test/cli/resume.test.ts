import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { finished } from '../fixtures/cliRunner';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { DIABETES_TASK, PYTHON, readLog, startFakeOpenAI, TEST_PRICES, type FakeServer } from '../fixtures/runHarness';

const ROOT = resolve(__dirname, '../..');

const STEPS = [
  { action: 'List Files', input: { dir_path: '.' } },
  { action: 'Inspect Script Lines', input: { script_name: 'train.py', start_line_number: 1, end_line_number: 5 } },
  { action: 'Copy File', input: { source: 'train.py', destination: 'train_copy.py' } },
  { action: 'List Files', input: { dir_path: '.' } },
  { action: 'Final Answer', input: { final_answer: 'done' } },
];

function startCli(server: FakeServer, dir: string, extra: string[]) {
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      providers: { openai: { baseUrl: server.url } },
      models: { planner: ['openai:cheap'], worker: ['openai:cheap'], expert: 'openai:expert' },
      prices: TEST_PRICES,
      python: PYTHON,
    }),
  );
  const task = join(dir, 'ws');
  return spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'run', task, '--config', config, '--out', join(dir, 'run'), '--json', ...extra],
    {
      env: { ...process.env, OPENAI_API_KEY: 'sk-resume' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function waitForSteps(runDir: string, count: number, timeoutMs = 30000): Promise<void> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const poll = setInterval(() => {
      const path = join(runDir, 'log.jsonl');
      const steps = existsSync(path)
        ? readFileSync(path, 'utf8')
            .split('\n')
            .filter((l) => l.includes('"type":"step"')).length
        : 0;
      if (steps < count && Date.now() - started <= timeoutMs) return;
      clearInterval(poll);
      if (steps >= count) done();
      else fail(new Error(`only ${steps} steps after ${timeoutMs} ms`));
    }, 20);
  });
}

test('a run killed mid-step resumes from its log without repeating a finished step or paying twice', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-resume-'));
  const { cpSync } = await import('node:fs');
  cpSync(join(DIABETES_TASK, 'env'), join(dir, 'ws'), { recursive: true });
  writeFileSync(join(dir, 'ws', 'budgetml.task.json'), JSON.stringify({ goal: 'Look around, then stop.' }));

  // first life: steps 1 and 2 finish; step 3's reply never comes before the process is killed
  const first = await startFakeOpenAI({
    replies: [
      ...STEPS.slice(0, 2).map((s, i) => ({ match: PLANNER_MATCH, text: plannerReply(s, i + 1) })),
      { match: PLANNER_MATCH, text: plannerReply(STEPS[2], 3), delayMs: 60000 },
    ],
  });
  const crashing = startCli(first, dir, []);
  await waitForSteps(join(dir, 'run'), 2);
  // the step-3 request reached the server: its start is in the log
  while (first.requests.length < 3) await new Promise((r) => setTimeout(r, 20));
  crashing.kill('SIGKILL');
  await new Promise((done) => crashing.once('close', done));
  await first.close();
  const before = readLog(join(dir, 'run'));
  const paidBefore = before.filter((r) => r.type === 'call').reduce((sum, r) => sum + r.usd, 0);
  assert.equal(before.filter((r) => r.type === 'step').length, 2);
  assert.ok(paidBefore > 0);

  // second life: only steps 3..5 are asked for
  const second = await startFakeOpenAI({ replies: STEPS.slice(2).map((s, i) => ({ match: PLANNER_MATCH, text: plannerReply(s, i + 3) })) });
  const { code, stdout, stderr } = await finished(startCli(second, dir, ['--resume']));
  await second.close();
  assert.equal(code, 0, stderr);
  const summary = JSON.parse(stdout);
  const log = readLog(join(dir, 'run'));

  assert.equal(summary.status, 'final_answer');
  assert.deepEqual(
    log.filter((r) => r.type === 'step').map((r) => r.step),
    [1, 2, 3, 4, 5],
  );
  assert.equal(second.requests.length, 3, 'the resumed run asks only for the steps not yet finished');
  const firstPrompt = JSON.stringify((second.requests[0].body as { messages: unknown[] }).messages);
  assert.match(
    firstPrompt,
    /Step 2:\\nThought: .*?\\nObservation:\\nHere are lines 1-5 of train\.py/,
    'the context of the finished steps is restored',
  );
  const paidAll = log.filter((r) => r.type === 'call').reduce((sum, r) => sum + r.usd, 0);
  // the call the kill cut short never ended: it is booked at its worst case, once
  const ended = new Set(log.filter((r) => r.type === 'call').map((r) => r.callId));
  const cut = log.filter((r) => r.type === 'call-started' && !ended.has(r.callId));
  assert.equal(cut.length, 1, 'the step-3 request that was in flight at the kill');
  const bookedCut = cut.reduce((sum, r) => sum + r.worstCaseUsd, 0);
  assert.ok(Math.abs(summary.cost.usd - (paidAll + bookedCut)) < 1e-12, 'every paid call is counted once, the cut one at its worst case');
  assert.ok(summary.cost.usd > paidBefore);
  assert.ok(existsSync(join(dir, 'ws', 'train_copy.py')));
  assert.equal(log.filter((r) => r.type === 'resume').length, 1);
});

test('--resume without a run folder is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-resume-'));
  const server = await startFakeOpenAI({ replies: [] });
  const { cpSync } = await import('node:fs');
  cpSync(join(DIABETES_TASK, 'env'), join(dir, 'ws'), { recursive: true });
  writeFileSync(join(dir, 'ws', 'budgetml.task.json'), JSON.stringify({ goal: 'x' }));
  const child = startCli(server, dir, ['--resume']);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((done) => child.once('close', done));
  await server.close();
  assert.equal(code, 2);
  assert.match(stderr, /--resume needs --out/);
  assert.equal(server.requests.length, 0);
});

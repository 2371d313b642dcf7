import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { finished } from '../fixtures/cliRunner';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { DIABETES_TASK, PYTHON, readLog, startFakeOpenAI, TEST_PRICES, type FakeServer } from '../fixtures/runHarness';

const ROOT = resolve(__dirname, '../..');
const RUN = { action: 'Execute Script', input: { script_name: 'slow.py' } };
const DONE = { action: 'Final Answer', input: { final_answer: 'trained once' } };

function startCli(server: FakeServer, dir: string, extra: string[]) {
  const config = join(dir, 'config.json');
  const models = { planner: ['openai:cheap'], worker: ['openai:cheap'], expert: 'openai:expert' };
  writeFileSync(config, JSON.stringify({ providers: { openai: { baseUrl: server.url } }, models, prices: TEST_PRICES, python: PYTHON }));
  const args = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'run', join(dir, 'ws'), '--config', config, '--out', join(dir, 'run')];
  return spawn(process.execPath, [...args, '--json', ...extra], {
    env: { ...process.env, OPENAI_API_KEY: 'sk-attach' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('a CLI killed while a training script runs: --resume follows that script instead of starting it again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-attach-'));
  cpSync(join(DIABETES_TASK, 'env'), join(dir, 'ws'), { recursive: true });
  writeFileSync(join(dir, 'ws', 'budgetml.task.json'), JSON.stringify({ goal: 'Train once.' }));
  const starts = join(dir, 'starts.txt');
  writeFileSync(
    join(dir, 'ws', 'slow.py'),
    `import time\nopen(${JSON.stringify(starts)}, "a").write("start\\n")\nfor epoch in range(1, 5):\n    print(f"epoch {epoch} loss={1 / epoch:.3f}", flush=True)\n    time.sleep(0.7)\nprint("test_accuracy: 0.91")\n`,
  );

  const first = await startFakeOpenAI({ replies: [{ match: PLANNER_MATCH, text: plannerReply(RUN, 1) }] });
  const crashing = startCli(first, dir, []);
  while (!existsSync(starts)) await new Promise((r) => setTimeout(r, 20));
  crashing.kill('SIGKILL');
  await new Promise((done) => crashing.once('close', done));
  await first.close();

  const second = await startFakeOpenAI({
    replies: [RUN, DONE].map((s, i) => ({ match: PLANNER_MATCH, text: plannerReply(s, i + 1) })),
  });
  const { code, stdout, stderr } = await finished(startCli(second, dir, ['--resume']));
  await second.close();
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).status, 'final_answer');
  assert.equal(readFileSync(starts, 'utf8'), 'start\n', 'the script ran once');
  const step = readLog(join(dir, 'run')).find((r) => r.type === 'step' && r.step === 1);
  assert.match(
    step?.observation ?? '',
    /epoch 1 loss=1\.000[\s\S]*epoch 4 loss=0\.250\ntest_accuracy: 0\.91/,
    'its whole output, as if watched',
  );
});

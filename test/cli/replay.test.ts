import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { ReplayProvider } from '../../src/core/llm/replay';

const ROOT = resolve(__dirname, '../..');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, OPENAI_API_KEY: '', GEMINI_API_KEY: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

test('the recorded run replays without any key and reaches the recorded result', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'budgetml-replay-')), 'run');
  const result = await cli([
    'run',
    'test/fixtures/tasks/diabetes-tree',
    '--replay',
    'media/replay/diabetes-tree.json',
    '--config',
    'media/replay/config.json',
    '--out',
    out,
    '--json',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.replay, true);
  assert.equal(summary.status, 'final_answer');
  assert.equal(summary.success, true);
  assert.ok(summary.cost.usd > 0, 'the replayed tokens are priced');
  assert.match(result.stderr, /REPLAY/);
});

test('a recording that is not one is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-replay-'));
  writeFileSync(join(dir, 'bad.json'), '{"replies": []}');
  const result = await cli(['run', 'test/fixtures/tasks/diabetes-tree', '--replay', join(dir, 'bad.json')]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /is not a recording/);
});

test('the replay provider plays answers in order by match, streams them and counts tokens', async () => {
  const provider = new ReplayProvider('openai', { replies: [{ match: 'second', text: 'B' }, { text: 'A answer' }] });
  const pieces: string[] = [];
  const first = await provider.complete(
    { model: 'm', messages: [{ role: 'user', content: 'first question' }], maxOutputTokens: 100, temperature: 0 },
    { onDelta: (t) => pieces.push(t) },
  );
  assert.equal(first.text, 'A answer');
  assert.equal(pieces.join(''), 'A answer');
  assert.deepEqual(first.usage, { input: 4, cachedInput: 0, output: 2 });
  const second = await provider.complete(
    { model: 'm', messages: [{ role: 'user', content: 'the second one' }], maxOutputTokens: 100, temperature: 0 },
    {},
  );
  assert.equal(second.text, 'B');
  await assert.rejects(
    provider.complete({ model: 'm', messages: [{ role: 'user', content: 'more' }], maxOutputTokens: 100, temperature: 0 }, {}),
    /no answer for this request/,
  );
});

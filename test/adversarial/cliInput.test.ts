import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyTask, runCli, writeConfig, type CliResult } from '../fixtures/cliRunner';

/** Inputs a user gets wrong end with exit 2 and one line saying what is wrong, before anything is spent. */

const ENV = { FAKE_OPENAI_KEY: 'sk-fake' };

function setUp(): { dir: string; task: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-cli-input-'));
  // nothing listens there: every case must stop before a model is asked
  return { dir, task: copyTask('diabetes-tree'), config: writeConfig(dir, 'http://127.0.0.1:9/v1') };
}

function assertUsage(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit 2, got ${result.code}: ${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0], /^budgetml: /);
  assert.match(lines[0], pattern);
}

test('a workspace that is a file', async () => {
  const { dir, task, config } = setUp();
  const file = join(dir, 'ws.txt');
  writeFileSync(file, 'not a folder');
  assertUsage(
    await runCli(['run', task, '--config', config, '--workspace', file, '--out', join(dir, 'run')], ENV),
    /workspace .* is a file, not a folder/,
  );
});

test('a workspace that cannot be read', { skip: process.getuid?.() === 0 ? 'root reads every folder' : false }, async () => {
  const { dir, task, config } = setUp();
  const ws = join(dir, 'locked');
  mkdirSync(ws);
  chmodSync(ws, 0o000);
  try {
    assertUsage(
      await runCli(['run', task, '--config', config, '--workspace', ws, '--out', join(dir, 'run')], ENV),
      /cannot be read or written/,
    );
  } finally {
    chmodSync(ws, 0o755);
  }
});

test('an --out that is a file, or lies below a file', async () => {
  const { dir, task, config } = setUp();
  const file = join(dir, 'out.txt');
  writeFileSync(file, 'x');
  assertUsage(await runCli(['run', task, '--config', config, '--out', file], ENV), /--out .* is a file, not a folder/);
  assertUsage(await runCli(['run', task, '--config', config, '--out', join(file, 'run')], ENV), /cannot be made: .* is a file/);
});

test('an --out that already holds a run, without --resume', async () => {
  const { dir, task, config } = setUp();
  const out = join(dir, 'run');
  mkdirSync(out);
  writeFileSync(join(out, 'log.jsonl'), JSON.stringify({ type: 'run-started', time: new Date().toISOString() }) + '\n');
  assertUsage(await runCli(['run', task, '--config', config, '--out', out], ENV), /already holds a run: add --resume/);
});

test('a damaged research log on --resume', async () => {
  const { dir, task, config } = setUp();
  const out = join(dir, 'run');
  mkdirSync(out);
  const good = JSON.stringify({ type: 'run-started', time: new Date().toISOString() });
  writeFileSync(join(out, 'log.jsonl'), `${good}\n{"type": "step", broken\n${good}\n`);
  assertUsage(
    await runCli(['run', task, '--config', config, '--out', out, '--resume'], ENV),
    /cannot resume: the research log .* is damaged at line 2/,
  );
});

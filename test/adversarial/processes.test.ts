import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { NodeHost } from '../../src/cli/nodeHost';
import type { ScriptRequest } from '../../src/core/host';
import { loadWorkspaceTask } from '../../src/core/task/loadTask';
import { setUpBenchmark } from '../../src/core/task/setUpBenchmark';
import { TaskError } from '../../src/core/task/taskError';
import { taggedPids } from '../../src/node/processTree';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { PYTHON, runScripted, startFakeOpenAI } from '../fixtures/runHarness';

/** Adversarial scripts that try to outlive their run: every process carrying the run's marker must be gone. */

const host = new NodeHost(() => {});
const linux = process.platform === 'linux';

/** Writes the marker and two escapees: `sleep 300 &` with its output redirected, and a `setsid` double fork. */
const ESCAPE = [
  'echo "$BUDGETML_SCRIPT_TAG" > tag',
  'sleep 300 > background.log 2>&1 &',
  'echo $! > background.pid',
  "( setsid sh -c 'echo $$ > session.pid; exec sleep 300' > /dev/null 2>&1 < /dev/null & )",
  'while [ ! -s session.pid ]; do sleep 0.05; done',
  'echo ready',
];

function job(lines: string[]): ScriptRequest {
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-escape-'));
  writeFileSync(join(dir, 'job.sh'), lines.join('\n') + '\n');
  return { command: '/bin/sh', args: ['job.sh'], cwd: dir, purpose: 'agent', display: 'sh job.sh' };
}

const pidIn = (dir: string, file: string) => Number(readFileSync(join(dir, file), 'utf8'));

function assertNothingLeft(dir: string): void {
  const tag = readFileSync(join(dir, 'tag'), 'utf8').trim();
  assert.match(tag, /^[0-9a-f-]{36}$/);
  assert.deepEqual(taggedPids(tag), [], 'no process carrying the marker is alive');
  for (const file of ['background.pid', 'session.pid']) assert.ok(existsSync(join(dir, file)), `${file} was written`);
}

test('background children of a script that ended are ended with it', { skip: !linux }, async () => {
  const request = job(ESCAPE);
  let output = '';
  const started = Date.now();
  const { exitCode, timedOut, cancelled } = await host.runScript(request, (c) => (output += c), new AbortController().signal);
  assert.deepEqual({ exitCode, timedOut, cancelled }, { exitCode: 0, timedOut: false, cancelled: false });
  assert.match(output, /ready/);
  assert.ok(Date.now() - started < 10000);
  assertNothingLeft(request.cwd);
});

test('cancelling a script ends its background and double-forked children', { skip: !linux }, async () => {
  const request = job([...ESCAPE, 'sleep 300']);
  const controller = new AbortController();
  let whileRunning: number[] = [];
  const onOutput = (chunk: string) => {
    if (!chunk.includes('ready')) return;
    whileRunning = taggedPids(readFileSync(join(request.cwd, 'tag'), 'utf8').trim());
    controller.abort();
  };
  const exit = await host.runScript(request, onOutput, controller.signal);
  assert.equal(exit.cancelled, true);
  // both escapees carried the marker: the one in its own session too
  assert.ok(whileRunning.includes(pidIn(request.cwd, 'background.pid')), 'the background child carries the marker');
  assert.ok(whileRunning.includes(pidIn(request.cwd, 'session.pid')), 'the setsid child carries the marker');
  assertNothingLeft(request.cwd);
});

test('a script past its time limit is ended with everything it started', { skip: !linux }, async () => {
  const request = { ...job([...ESCAPE, 'sleep 300']), timeoutSec: 1 };
  const started = Date.now();
  const exit = await host.runScript(request, () => {}, new AbortController().signal);
  assert.equal(exit.timedOut, true);
  assert.equal(exit.exitCode, null);
  assert.ok(Date.now() - started < 10000);
  assertNothingLeft(request.cwd);
});

test('a background child that keeps the output pipe open does not keep the run open', { skip: !linux }, async () => {
  const request = job([
    'echo "$BUDGETML_SCRIPT_TAG" > tag',
    'sleep 300 &',
    'echo $! > background.pid',
    "setsid sh -c 'echo $$ > session.pid; exec sleep 300' &",
    'while [ ! -s session.pid ]; do sleep 0.05; done',
    'echo ready',
  ]);
  const started = Date.now();
  let output = '';
  const exit = await host.runScript(request, (c) => (output += c), new AbortController().signal);
  assert.equal(exit.exitCode, 0);
  assert.match(output, /ready/);
  assert.ok(Date.now() - started < 10000);
  assertNothingLeft(request.cwd);
});

test('a hanging eval.py is stopped by the time limit, with what it started', { skip: !linux }, async () => {
  const workspace = join(mkdtempSync(join(tmpdir(), 'budgetml-hang-')), 'iris');
  cpSync(resolve(__dirname, '../fixtures/workspaces/iris-features'), workspace, { recursive: true });
  writeFileSync(join(workspace, 'train.py'), "print('trained')\n");
  const tagFile = join(mkdtempSync(join(tmpdir(), 'budgetml-hang-tag-')), 'tag');
  writeFileSync(
    join(workspace, 'eval.py'),
    [
      'import os, subprocess, time',
      `open(${JSON.stringify(tagFile)}, 'w').write(os.environ['BUDGETML_SCRIPT_TAG'])`,
      "subprocess.Popen(['sleep', '300'], start_new_session=True)",
      'time.sleep(300)',
    ].join('\n'),
  );
  const server = await startFakeOpenAI({
    replies: [{ match: PLANNER_MATCH, text: plannerReply({ action: 'Final Answer', input: { final_answer: 'nothing to do' } }, 1) }],
  });
  try {
    const started = Date.now();
    // a baseline that cannot be scored stops the run before anything is spent
    await assert.rejects(
      runScripted({ openai: server, task: loadWorkspaceTask(workspace, PYTHON), config: { scriptTimeoutSec: 1.5 } }),
      /cannot be scored: .*time limit/,
    );
    assert.ok(Date.now() - started < 30000, 'the run did not wait for the hanging scoring');
    assert.deepEqual(taggedPids(readFileSync(tagFile, 'utf8')), [], 'nothing the scoring started is alive');
  } finally {
    await server.close();
  }
});

test(
  'a hanging prepare.py is stopped by the time limit with what it started, and the task is not marked prepared',
  { skip: !linux },
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'budgetml-prepare-hang-'));
    const scripts = join(folder, 'scripts');
    mkdirSync(join(folder, 'env'), { recursive: true });
    mkdirSync(scripts);
    const tagFile = join(folder, 'tag');
    writeFileSync(
      join(scripts, 'prepare.py'),
      [
        'import os, subprocess, time',
        `open(${JSON.stringify(tagFile)}, 'w').write(os.environ['BUDGETML_SCRIPT_TAG'])`,
        "subprocess.Popen(['sleep', '300'], start_new_session=True)",
        'time.sleep(300)',
      ].join('\n'),
    );
    const started = Date.now();
    const deps = { host, python: PYTHON, outputsDir: join(folder, 'outputs'), signal: new AbortController().signal, timeoutSec: 1.5 };
    await assert.rejects(
      setUpBenchmark({ folder, env: join(folder, 'env'), scripts }, join(folder, 'workspace'), deps),
      (error: Error) => error instanceof TaskError && /prepare\.py did not finish within 1\.5 s/.test(error.message),
    );
    assert.ok(Date.now() - started < 15000, 'the run did not wait for the script');
    assert.deepEqual(taggedPids(readFileSync(tagFile, 'utf8').trim()), [], 'nothing prepare.py started is left');
    assert.equal(existsSync(join(scripts, 'prepared')), false);
  },
);

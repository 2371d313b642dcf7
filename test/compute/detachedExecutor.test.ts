import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DetachedExecutor } from '../../src/node/compute/detachedExecutor';
import { ROOT, scratch, scriptRequest } from './infra';

const until = async (done: () => boolean, what: string, ms = 15_000) => {
  for (const end = Date.now() + ms; !done();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Starts the script from another process and kills that process with SIGKILL once the script has begun. */
async function startThenCrash(runDir: string, dir: string, script: string, started: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/compute/fixtures/startDetached.ts'), runDir, dir, script], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  await until(() => existsSync(started), 'the script to start');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
}

describe('local scripts run detached: they outlive the process that started them', () => {
  let dir: string;
  const runDir = () => join(dir, 'run');
  before(() => {
    dir = scratch('detached');
  });

  test('streams the output and returns the exit code; what the script left in the background is ended', async () => {
    writeFileSync(
      join(dir, 'train.py'),
      'import subprocess, sys, time\nsubprocess.Popen(["sleep", "418"])\nprint("epoch 1", flush=True)\ntime.sleep(0.5)\nprint("test_accuracy: 0.9")\nsys.exit(5)\n',
    );
    let output = '';
    const exit = await new DetachedExecutor(runDir()).runScript(
      scriptRequest(dir, 'train.py'),
      (t) => (output += t),
      new AbortController().signal,
    );
    assert.deepEqual([exit.exitCode, exit.timedOut, exit.cancelled], [5, false, false]);
    assert.equal(output, 'epoch 1\ntest_accuracy: 0.9\n');
    const left = await pgrep('sleep 418');
    assert.equal(left, '', 'the background child was ended with the script');
  });

  test('after a crash of the process that started it, the same request follows the running script instead of starting it again', async () => {
    const starts = join(dir, 'starts.txt');
    const started = join(dir, 'started');
    writeFileSync(
      join(dir, 'long.py'),
      `import time\nopen(${JSON.stringify(starts)}, "a").write("start\\n")\nopen(${JSON.stringify(started)}, "w").write("")\nprint("epoch 1", flush=True)\ntime.sleep(2)\nprint("test_accuracy: 0.93")\n`,
    );
    await startThenCrash(runDir(), dir, 'long.py', started);
    let output = '';
    const exit = await new DetachedExecutor(runDir()).runScript(
      scriptRequest(dir, 'long.py'),
      (t) => (output += t),
      new AbortController().signal,
    );
    assert.equal(exit.exitCode, 0);
    assert.equal(output, 'epoch 1\ntest_accuracy: 0.93\n', 'the whole output, from its start');
    assert.equal(readFileSync(starts, 'utf8'), 'start\n', 'started once');
  });

  test('a script that finished while nobody watched: its result is read, it is not run again', async () => {
    const starts = join(dir, 'starts-quick.txt');
    const started = join(dir, 'started-quick');
    writeFileSync(
      join(dir, 'quick.py'),
      `import sys, time\nopen(${JSON.stringify(starts)}, "a").write("start\\n")\nopen(${JSON.stringify(started)}, "w").write("")\ntime.sleep(0.5)\nprint("done")\nsys.exit(3)\n`,
    );
    await startThenCrash(runDir(), dir, 'quick.py', started);
    await new Promise((r) => setTimeout(r, 1500));
    let output = '';
    const exit = await new DetachedExecutor(runDir()).runScript(
      scriptRequest(dir, 'quick.py'),
      (t) => (output += t),
      new AbortController().signal,
    );
    assert.deepEqual([exit.exitCode, output], [3, 'done\n']);
    assert.equal(readFileSync(starts, 'utf8'), 'start\n');
    // followed to its end: the next request for it is a new run
    await new DetachedExecutor(runDir()).runScript(scriptRequest(dir, 'quick.py'), () => {}, new AbortController().signal);
    assert.equal(readFileSync(starts, 'utf8'), 'start\nstart\n');
  });

  test('Stop and the time limit end every process of the script; a flood of output is ended too', async () => {
    writeFileSync(
      join(dir, 'hang.py'),
      'import subprocess, time\nsubprocess.Popen(["setsid", "sleep", "419"])\nprint("up", flush=True)\ntime.sleep(60)\n',
    );
    const stop = new AbortController();
    let output = '';
    const stopped = await new DetachedExecutor(runDir()).runScript(
      scriptRequest(dir, 'hang.py'),
      (t) => ((output += t), output.includes('up') && stop.abort()),
      stop.signal,
    );
    assert.deepEqual([stopped.exitCode, stopped.cancelled], [null, true]);
    assert.equal(await pgrep('sleep 419'), '', 'even a child in its own session is ended');
    const timed = await new DetachedExecutor(runDir()).runScript(
      scriptRequest(dir, 'hang.py', { timeoutSec: 1 }),
      () => {},
      new AbortController().signal,
    );
    assert.deepEqual([timed.exitCode, timed.timedOut], [null, true]);
    writeFileSync(join(dir, 'flood.py'), 'while True:\n    print("x" * 1000)\n');
    const flood = await new DetachedExecutor(runDir(), { maxOutputBytes: 1024 * 1024 }).runScript(
      scriptRequest(dir, 'flood.py'),
      () => {},
      new AbortController().signal,
    );
    assert.match(flood.failure ?? '', /printed more than 1 MB and was ended/);
  });
});

function pgrep(pattern: string): Promise<string> {
  return new Promise((resolve) => {
    const [word, number] = pattern.split(' ');
    const child = spawn('pgrep', ['-f', `${word} ${number.slice(0, -1)}[${number.slice(-1)}]`]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out.trim()));
  });
}

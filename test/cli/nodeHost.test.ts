import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NodeHost } from '../../src/cli/nodeHost';

const PYTHON = '/usr/bin/python3';
const host = new NodeHost(() => {});

function script(body: string): { dir: string; name: string } {
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-host-'));
  writeFileSync(join(dir, 'job.py'), body);
  return { dir, name: 'job.py' };
}

/** Running, not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

test('a hanging script and the process it started are ended at the time limit', async () => {
  const { dir, name } = script(
    [
      'import subprocess, sys, time',
      "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])",
      "open('child.pid', 'w').write(str(child.pid))",
      "print('started', flush=True)",
      'time.sleep(60)',
    ].join('\n'),
  );
  let output = '';
  const started = Date.now();
  const exit = await host.runScript(
    { command: PYTHON, args: [name], cwd: dir, timeoutSec: 1.5, purpose: 'agent', display: name },
    (c) => (output += c),
    new AbortController().signal,
  );
  assert.equal(exit.timedOut, true);
  assert.equal(exit.exitCode, null);
  assert.match(output, /started/);
  assert.ok(Date.now() - started < 10000);
  const childPid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(alive(childPid), false, 'the grandchild was ended too');
});

test('cancelling ends the script; output and exit codes come back otherwise', async () => {
  const { dir, name } = script("import sys, time\nprint('out'); print('err', file=sys.stderr); sys.stdout.flush(); time.sleep(30)\n");
  const controller = new AbortController();
  let output = '';
  const running = host.runScript(
    { command: PYTHON, args: [name], cwd: dir, purpose: 'agent', display: name },
    (c) => {
      output += c;
      if (output.includes('err')) controller.abort();
    },
    controller.signal,
  );
  const exit = await running;
  assert.equal(exit.cancelled, true);
  assert.match(output, /out/);

  const failing = script('raise SystemExit(3)\n');
  const failed = await host.runScript(
    { command: PYTHON, args: [failing.name], cwd: failing.dir, purpose: 'agent', display: 'x' },
    () => {},
    new AbortController().signal,
  );
  assert.deepEqual([failed.exitCode, failed.timedOut, failed.cancelled], [3, false, false]);
});

test('a program that cannot start is an exit without a code and a sentence in the output', async () => {
  let output = '';
  const exit = await host.runScript(
    { command: '/nonexistent/python', args: ['x.py'], cwd: tmpdir(), purpose: 'agent', display: 'x' },
    (c) => (output += c),
    new AbortController().signal,
  );
  assert.equal(exit.exitCode, null);
  assert.match(output, /could not start \/nonexistent\/python/);
});

test('an accepted proposal is written, creating folders inside the workspace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-host-'));
  const path = join(dir, 'sub', 'new.py');
  const decision = await host.proposeEdit({
    path,
    relPath: 'sub/new.py',
    root: dir,
    original: '',
    proposed: 'print(1)\n',
    diff: '',
    reason: 'r',
  });
  assert.deepEqual(decision, { accepted: true, text: 'print(1)\n', userModified: false });
  assert.equal(readFileSync(path, 'utf8'), 'print(1)\n');
});

test('a script gets exactly the environment asked for, plus unbuffered output and its run marker', async () => {
  const { dir, name } = script('import json, os\nprint(json.dumps(dict(os.environ)))\n');
  let output = '';
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ONLY_THIS: 'yes' };
  const exit = await host.runScript(
    { command: PYTHON, args: [name], cwd: dir, purpose: 'agent', display: name, env },
    (c) => (output += c),
    new AbortController().signal,
  );
  assert.equal(exit.exitCode, 0);
  const seen = JSON.parse(output) as Record<string, string>;
  const { BUDGETML_SCRIPT_TAG: tag, LC_CTYPE: _locale, ...rest } = seen;
  assert.match(tag, /^[0-9a-f-]{36}$/);
  assert.deepEqual(rest, { ...env, PYTHONUNBUFFERED: '1' });
});

test('every run gets its own marker', async () => {
  const { dir, name } = script("import os\nprint(os.environ['BUDGETML_SCRIPT_TAG'])\n");
  const tags = ['', ''];
  for (const i of [0, 1])
    await host.runScript(
      { command: PYTHON, args: [name], cwd: dir, purpose: 'agent', display: name },
      (c) => (tags[i] += c),
      new AbortController().signal,
    );
  assert.match(tags[0], /^[0-9a-f-]{36}\n$/);
  assert.notEqual(tags[0], tags[1]);
});

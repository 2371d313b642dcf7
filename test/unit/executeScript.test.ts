import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ActionContext } from '../../src/core/actions/action';
import { executeScript } from '../../src/core/actions/executeScript';
import { makeHarness, type Harness } from './actionFakes';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ step: 7 });
});
afterEach(() => h.cleanup());

const run = (script_name: string, ctx: ActionContext = h.ctx) => executeScript.run({ script_name }, ctx);
const logOf = (name: string) => fs.readFile(path.join(h.runDir, 'outputs', name), 'utf8');

describe('Execute Script', () => {
  it('runs the script in the work directory and shows its output', async () => {
    await h.write('train.py', 'import os\nprint("cwd", os.getcwd())\nprint("accuracy: 0.9")\n');
    const outcome = await run('./train.py');
    assert.match(
      outcome.observation,
      new RegExp(
        `^The script has been executed\\. Here is the output:\\ncwd ${h.root}\\naccuracy: 0\\.9\\n\\n\\nRecorded as experiment #1 step 7 train\\.py: ok \\d+\\.\\d s \\| accuracy 0\\.9$`,
      ),
    );
    assert.equal(outcome.artifacts?.output, 'outputs/step-7-train.py.log');
    assert.equal(await logOf('step-7-train.py.log'), `cwd ${h.root}\naccuracy: 0.9\n`);
    const [request] = h.host.scripts;
    assert.deepEqual(
      { command: request.command, args: request.args, cwd: request.cwd, purpose: request.purpose, display: request.display },
      { command: '/usr/bin/python3', args: ['train.py'], cwd: h.root, purpose: 'agent', display: '/usr/bin/python3 train.py' },
    );
  });

  it('reports a non-zero exit code with the error output', async () => {
    await h.write('sub/fail.py', 'print("loading")\nraise ValueError("bad shape")\n');
    const outcome = await run('sub/fail.py');
    assert.match(outcome.observation, /^The script has been executed, but it failed with exit code 1\. Here is the output:\n/);
    assert.match(outcome.observation, /loading/);
    assert.match(outcome.observation, /ValueError: bad shape/);
    assert.equal(outcome.artifacts?.output, 'outputs/step-7-fail.py.log');
  });

  it('stops a script at the time limit and says so', async () => {
    await h.write('slow.py', 'import time\nprint("started", flush=True)\ntime.sleep(30)\n');
    const ctx = { ...h.ctx, scriptTimeoutSec: 1 };
    const started = Date.now();
    const outcome = await run('slow.py', ctx);
    assert.ok(Date.now() - started < 10_000);
    assert.match(outcome.observation, /^slow\.py was stopped because it ran past the time limit of 1 second\./);
    assert.match(outcome.observation, /started/);
  });

  it('reports cancellation', async () => {
    await h.write('slow.py', 'import time\nprint("started", flush=True)\ntime.sleep(30)\n');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const outcome = await run('slow.py', { ...h.ctx, signal: controller.signal });
    assert.match(outcome.observation, /^The run of slow\.py was cancelled before it finished/);
  });

  it('says when the user declined, with their reason, and keeps no log', async () => {
    await h.write('train.py', 'print(1)\n');
    h.host.declineScripts = true;
    h.host.declineReason = 'train on the GPU box instead';
    const outcome = await run('train.py');
    assert.equal(
      outcome.observation,
      'The user declined to run train.py. Their reason: "train on the GPU box instead". Nothing was executed.',
    );
    assert.equal(outcome.artifacts, undefined);
    await assert.rejects(logOf('step-7-train.py.log'));
  });

  it('keeps head and tail of a long output and the whole of it on disk', async () => {
    await h.write('chatty.py', 'for i in range(20000):\n    print("row", i)\n');
    const outcome = await run('chatty.py');
    assert.match(outcome.observation, /^The script has been executed\. Here is the output:\nrow 0\nrow 1\n/);
    assert.match(outcome.observation, /characters omitted; the full output is in .*step-7-chatty\.py\.log\] \.\.\./);
    assert.match(outcome.observation, /row 19999\n\n\nRecorded as experiment #1 step 7 chatty\.py: ok [\d.]+ s$/);
    assert.ok(outcome.observation.length < 5400);
    const full = await logOf('step-7-chatty.py.log');
    assert.equal(full.split('\n').length, 20001);
  });

  it('names the output file relative to the work directory when it lies inside', async () => {
    await h.write('train.py', 'print("x" * 6000)\n');
    const outputs = path.join(h.root, '.budgetml', 'outputs');
    const outcome = await run('train.py', { ...h.ctx, dirs: { ...h.ctx.dirs, outputs } });
    assert.match(outcome.observation, /the full output is in \.budgetml\/outputs\/step-7-train\.py\.log\]/);
  });

  it('refuses missing files, folders, non-Python files and escapes without running anything', async () => {
    await h.write('run.sh', 'echo hi\n');
    await fs.mkdir(h.file('folder'));
    assert.match((await run('missing.py')).observation, /^EnvError: Cannot find missing\.py/);
    assert.match((await run('folder')).observation, /^EnvError: folder is not a file/);
    assert.match((await run('run.sh')).observation, /^EnvError: Execute Script runs Python scripts/);
    assert.match((await run('../x.py')).observation, /^EnvError: .*outside/);
    assert.equal(h.host.scripts.length, 0);
  });

  it('turns a failing host into an observation', async () => {
    await h.write('train.py', 'print(1)\n');
    h.host.runScript = async () => {
      throw new Error('no terminal available');
    };
    assert.match((await run('train.py')).observation, /^EnvError: train\.py could not be run: no terminal available/);
  });
});

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ScriptExit, ScriptRequest } from '../../src/core/host';
import type { BudgetmlApi } from '../../src/host/api';
import { answerDecisions, budgetml, inWorkspace, screenshot, setSetting, waitFor, workspaceDir } from './helpers';

function request(args: string[], timeoutSec?: number): ScriptRequest {
  return {
    command: 'python3',
    args,
    cwd: workspaceDir(),
    purpose: 'agent',
    display: `python3 ${args.join(' ')}`,
    ...(timeoutSec ? { timeoutSec } : {}),
  };
}

async function run(
  api: BudgetmlApi,
  req: ScriptRequest,
  signal = new AbortController().signal,
): Promise<{ exit: ScriptExit & { via?: string }; output: string }> {
  let output = '';
  const exit = await api.host.runScript(req, (chunk) => (output += chunk), signal);
  return { exit, output };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Both pids sleepy.py wrote (itself and its child). */
async function sleepyPids(file: string): Promise<number[]> {
  const text = await waitFor(() => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined), 'sleepy.py to start');
  return text.split(/\s+/).map(Number);
}

for (const path of ['shell-integration', 'pseudoterminal'] as const) {
  describe(`scripts in the terminal (${path})`, function () {
    let api: BudgetmlApi;

    before(async () => {
      api = await budgetml();
      api.scripts.forcePseudoterminal = path === 'pseudoterminal';
      await setSetting('autoRunScripts', true);
    });

    after(async () => {
      api.scripts.forcePseudoterminal = false;
      await setSetting('autoRunScripts', undefined);
    });

    it('captures output (without escape sequences) and the exit code', async () => {
      const { exit, output } = await run(api, request(['exit_code.py']));
      assert.equal(exit.via, path);
      assert.equal(exit.exitCode, 3);
      assert.equal(exit.timedOut, false);
      assert.equal(exit.cancelled, false);
      assert.match(output, /hello from exit_code\.py\n/);
      assert.match(output, /coloured line\n/);
      assert.match(output, /to stderr/);
      assert.doesNotMatch(output, /\x1b/, 'no escape sequences');
      assert.doesNotMatch(output, /\r\n/, 'LF line ends');
      if (path === 'pseudoterminal') await screenshot('terminal-pseudoterminal');
    });

    it('runs a zero-exit script and reports 0', async () => {
      const { exit, output } = await run(api, { ...request(['-c', 'print(6*7)']), display: 'python3 -c print(6*7)' });
      assert.equal(exit.exitCode, 0);
      assert.match(output, /^42$/m);
    });

    it('ends the process tree at budgetml.scriptTimeoutSec', async () => {
      const pids = inWorkspace(`sleepy-${path}-timeout.pids`);
      const t0 = Date.now();
      const { exit, output } = await run(api, request(['sleepy.py', pids], 2));
      assert.equal(exit.timedOut, true);
      assert.equal(exit.exitCode, null);
      assert.match(output, /sleeping/);
      assert.ok(Date.now() - t0 < 15000, 'ends soon after the limit');
      for (const pid of await sleepyPids(pids)) await waitFor(() => !alive(pid), `process ${pid} to end`, 8000);
      fs.rmSync(pids);
    });

    it('ends the process tree when the run stops', async () => {
      const pids = inWorkspace(`sleepy-${path}-stop.pids`);
      const stop = new AbortController();
      const running = run(api, request(['sleepy.py', pids]), stop.signal);
      const started = await sleepyPids(pids);
      stop.abort();
      const { exit } = await running;
      assert.equal(exit.cancelled, true);
      assert.equal(exit.exitCode, null);
      for (const pid of started) await waitFor(() => !alive(pid), `process ${pid} to end`, 8000);
      fs.rmSync(pids);
    });
  });
}

describe('script approval', () => {
  let api: BudgetmlApi;
  let saved: BudgetmlApi['host']['prompts'];

  before(async () => {
    api = await budgetml();
    saved = api.host.prompts;
  });

  afterEach(() => {
    api.host.prompts = saved;
    api.host.isTrusted = () => true;
  });

  it('asks before each run and reports a declined run, with the reason asked for, to the planner', async () => {
    const asked: string[] = [];
    api.host.prompts = { ...saved, declineReason: async () => 'too slow' };
    const answering = answerDecisions(api, (view) => (view.kind === 'run' ? (asked.push(view.command), { choice: 'decline' }) : undefined));
    try {
      const { exit } = await run(api, request(['exit_code.py']));
      assert.deepEqual(asked, ['python3 exit_code.py']);
      assert.equal(exit.declined, true);
      assert.equal(exit.declineReason, 'the user declined to run it: too slow');
    } finally {
      answering.dispose();
    }
  });

  it('runs once the user approves', async () => {
    const answering = answerDecisions(api, () => ({ choice: 'run' }));
    try {
      const { exit } = await run(api, request(['exit_code.py']));
      assert.equal(exit.exitCode, 3);
    } finally {
      answering.dispose();
    }
  });

  it('runs nothing in an untrusted workspace, even with autoRunScripts', async () => {
    await setSetting('autoRunScripts', true);
    api.host.isTrusted = () => false;
    let asked = false;
    const answering = answerDecisions(api, () => ((asked = true), { choice: 'run' }));
    try {
      const { exit, output } = await run(api, request(['exit_code.py']));
      assert.equal(exit.declined, true);
      assert.match(exit.declineReason ?? '', /not trusted/);
      assert.equal(output, '');
      assert.equal(asked, false);
    } finally {
      answering.dispose();
      await setSetting('autoRunScripts', undefined);
    }
  });
});

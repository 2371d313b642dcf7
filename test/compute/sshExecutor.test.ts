import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ScriptRequest } from '../../src/core/host';
import { LocalExecutor } from '../../src/node/compute/localExecutor';
import { SshExecutor } from '../../src/node/compute/sshExecutor';
import { infraUp, onRemote, scratch, SSH_CONFIG, SSH_HOST, scriptRequest } from './infra';

/** Scripts run on a real sshd on loopback with a key-only user (scripts/infra/sshd-up.sh). */
describe('SSH backend: the workspace is copied to the remote, the script runs there', () => {
  let dir: string;
  let remoteDir: string;
  const logs: string[] = [];
  const executor = (host = SSH_HOST) =>
    new SshExecutor(
      { host, configFile: SSH_CONFIG, remoteDir },
      {
        log: (_, message) => logs.push(message),
        localPython: '/usr/bin/python3',
        exclude: ['.git', '.budgetml'],
        workspace: dir,
        runDir: join(dir, '.budgetml'),
        local: new LocalExecutor(),
      },
    );
  const request = (script: string, extra: Partial<ScriptRequest> = {}) => scriptRequest(dir, script, extra);

  before(() => {
    infraUp('sshd-up.sh');
    dir = scratch('ssh');
    remoteDir = `budgetml-test/${dir.split('/').pop()}`;
    mkdirSync(join(dir, '.budgetml'));
    writeFileSync(join(dir, '.budgetml/log.jsonl'), 'never copied\n');
  });

  test('copies the workspace, streams the output, returns the exit code and copies back what the script wrote', async () => {
    writeFileSync(join(dir, 'data.csv'), 'x,y\n1,2\n');
    writeFileSync(
      join(dir, 'train.py'),
      [
        'import getpass, os, sys, time',
        'print("rows:", len(open("data.csv").read().splitlines()), "user:", getpass.getuser())',
        'print("key:", os.environ.get("OPENAI_API_KEY"))',
        'open("submission.csv", "w").write("id,y\\n1,2\\n")',
        'time.sleep(1)',
        'print("test_accuracy: 0.88")',
        'sys.exit(4)',
      ].join('\n'),
    );
    let output = '';
    const exit = await executor().runScript(
      request('train.py', { env: { OPENAI_API_KEY: 'sk-must-not-travel' } }),
      (t) => (output += t),
      new AbortController().signal,
    );
    assert.deepEqual([exit.exitCode, exit.timedOut, exit.cancelled, exit.failure], [4, false, false, undefined]);
    assert.match(output, /^rows: 2 user: mlremote\nkey: None\ntest_accuracy: 0\.88\n$/);
    assert.equal(readFileSync(join(dir, 'submission.csv'), 'utf8'), 'id,y\n1,2\n', 'the output file came back');
    assert.equal(onRemote(`test -e ${remoteDir}/.budgetml && echo copied || echo kept-local`).trim(), 'kept-local');
  });

  test('Stop ends the whole remote process tree, not only the connection', async () => {
    writeFileSync(
      join(dir, 'long.py'),
      'import subprocess, time\nsubprocess.Popen(["sleep", "417"])\nprint("started", flush=True)\ntime.sleep(60)\n',
    );
    const stop = new AbortController();
    let output = '';
    const exit = await executor().runScript(
      request('long.py'),
      (t) => {
        output += t;
        if (output.includes('started')) stop.abort();
      },
      stop.signal,
    );
    assert.deepEqual([exit.exitCode, exit.cancelled], [null, true]);
    const left = onRemote("pgrep -u mlremote -f 'sleep 41[7]' || true").trim();
    assert.equal(left, '', 'no process of the run is left on the remote');
  });

  test('a Stop while the workspace is being copied: the script does not run on', async () => {
    writeFileSync(join(dir, 'late.py'), 'import time\ntime.sleep(2)\nopen("late-marker", "w").write("ran")\n');
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 30);
    const exit = await executor().runScript(request('late.py'), () => {}, stop.signal);
    assert.deepEqual([exit.exitCode, exit.cancelled], [null, true]);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(onRemote(`test -e ${remoteDir}/late-marker && echo ran || echo stopped`).trim(), 'stopped');
  });

  test('the time limit ends the remote run', async () => {
    writeFileSync(join(dir, 'hang.py'), 'import time\ntime.sleep(60)\n');
    const exit = await executor().runScript(request('hang.py', { timeoutSec: 2 }), () => {}, new AbortController().signal);
    assert.deepEqual([exit.exitCode, exit.timedOut, exit.cancelled], [null, true, false]);
  });

  test('a host that cannot be reached is a failure saying so, not a script error', async () => {
    const config = join(dir, 'ssh_config_unreachable');
    writeFileSync(config, 'Host nowhere\n  HostName 127.0.0.1\n  Port 1\n  BatchMode yes\n');
    const unreachable = new SshExecutor(
      { host: 'nowhere', configFile: config, remoteDir },
      {
        log: () => {},
        localPython: '/usr/bin/python3',
        exclude: [],
        workspace: dir,
        runDir: join(dir, '.budgetml'),
        local: new LocalExecutor(),
      },
    );
    const exit = await unreachable.runScript(request('train.py'), () => {}, new AbortController().signal);
    assert.equal(exit.exitCode, null);
    assert.match(exit.failure ?? '', /copying the workspace to nowhere:.* failed \(rsync exit \d+\)/);
  });
});

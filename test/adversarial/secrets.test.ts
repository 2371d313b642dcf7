import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NodeHost } from '../../src/cli/nodeHost';
import { ConfigError, parseConfig, type Config } from '../../src/core/config';
import { requireKey } from '../../src/core/llm/providers';
import { ResearchLog } from '../../src/core/memory/researchLog';
import { runAgent } from '../../src/core/run';
import { Redactor } from '../../src/core/secrets/redactor';
import { scriptEnvironment } from '../../src/core/secrets/scriptEnv';
import { setUpBenchmark } from '../../src/core/task/setUpBenchmark';
import type { Task } from '../../src/core/task/task';
import { OutputCapture } from '../../src/core/text/outputCapture';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { PYTHON, readLog, testConfig } from '../fixtures/runHarness';

const KEY = 'sk-proj-Zq81vXr0aLm3Tt9WcY7uNe4KpD2sHf6B';
const GEMINI_KEY = 'AIzaSyD4-fake-gemini-key-0123456789abcdef';

/** Every file under `dir`, as text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

function assertNoKey(text: string, where: string): void {
  assert.ok(!text.includes(KEY), `the key is in ${where}`);
}

/** A workspace with a secrets file and a train.py that prints (and saves) its environment. */
function leakyWorkspace(): string {
  const workspace = mkdtempSync(join(tmpdir(), 'budgetml-secrets-ws-'));
  writeFileSync(join(workspace, 'secrets.txt'), `# pasted by mistake\nOPENAI_API_KEY=${KEY}\n`);
  writeFileSync(
    join(workspace, 'train.py'),
    [
      'import json, os',
      `# a key pasted into the script: ${KEY}`,
      'env = dict(os.environ)',
      'print(json.dumps(env, sort_keys=True))',
      "open('env_seen.json', 'w').write(json.dumps(env))",
      "print(open('secrets.txt').read())",
      "print('mae: 0.5')",
      '',
    ].join('\n'),
  );
  return workspace;
}

async function runLeaky(server: FakeServer, workspace: string, overrides: Record<string, unknown> = {}) {
  const task: Task = { goal: 'Lower the MAE of train.py.', workspace, readOnlyGlobs: [], script: 'train.py' };
  const runDir = mkdtempSync(join(tmpdir(), 'budgetml-secrets-run-'));
  const config: Config = testConfig(server, undefined, overrides);
  const saved = { openai: process.env.OPENAI_API_KEY, copy: process.env.MY_KEY_COPY };
  process.env.OPENAI_API_KEY = KEY;
  process.env.MY_KEY_COPY = KEY;
  try {
    const summary = await runAgent({
      task,
      config,
      host: new NodeHost(() => {}),
      keys: { openai: KEY },
      runDir,
      signal: new AbortController().signal,
    });
    return { summary, runDir, log: readLog(runDir) };
  } finally {
    restore('OPENAI_API_KEY', saved.openai);
    restore('MY_KEY_COPY', saved.copy);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

test('a script that prints its environment: the key is nowhere, not in the script, the run folder or a request', async () => {
  const workspace = leakyWorkspace();
  const server = await startFakeOpenAI({
    replies: [
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Execute Script', input: { script_name: 'train.py' } }, 1) },
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Final Answer', input: { final_answer: 'done' } }, 2) },
    ],
  });
  try {
    const { summary, runDir, log } = await runLeaky(server, workspace);
    assert.equal(summary.status, 'final_answer');
    const seen = JSON.parse(readFileSync(join(workspace, 'env_seen.json'), 'utf8')) as Record<string, string>;
    assert.equal(seen.OPENAI_API_KEY, undefined, 'the script has no OPENAI_API_KEY');
    assert.equal(seen.MY_KEY_COPY, undefined, 'nor a variable holding the key under another name');
    assert.ok(!Object.values(seen).some((v) => v.includes(KEY)), 'no variable holds the key');
    assert.equal(seen.PYTHONUNBUFFERED, '1');
    const step = log.find((r) => r.type === 'step');
    assert.match(step?.observation, /\[redacted OPENAI_API_KEY\]/, 'the printed secrets file is redacted in the observation');
    const files = filesUnder(runDir);
    for (const name of ['log.jsonl', 'experiments.jsonl', 'summary.json'])
      assert.ok(
        files.some((f) => f.path.endsWith(name)),
        `${name} is written`,
      );
    assert.ok(
      files.some((f) => f.path.includes(`${join(runDir, 'outputs')}`)),
      'outputs are written',
    );
    assert.ok(
      files.some((f) => f.path.includes(join(runDir, 'code'))),
      'code snapshots are written',
    );
    for (const file of files) assertNoKey(file.text, file.path);
    assert.ok(server.requests.length >= 2);
    for (const [i, request] of server.requests.entries()) assertNoKey(JSON.stringify(request.body), `request ${i + 1}`);
  } finally {
    await server.close();
  }
});

test('a workspace file holding the key, read by Understand File and Inspect Script Lines, stays out of log.jsonl', async () => {
  const workspace = leakyWorkspace();
  const server = await startFakeOpenAI({
    replies: [
      {
        match: PLANNER_MATCH,
        text: plannerReply(
          { action: 'Understand File', input: { file_name: 'secrets.txt', things_to_look_for: 'LOOK-FOR-THE-SETTINGS' } },
          1,
        ),
      },
      {
        match: PLANNER_MATCH,
        text: plannerReply(
          { action: 'Inspect Script Lines', input: { script_name: 'secrets.txt', start_line_number: 1, end_line_number: 2 } },
          2,
        ),
      },
      { match: PLANNER_MATCH, text: plannerReply({ action: 'Final Answer', input: { final_answer: `the key is ${KEY}` } }, 3) },
      { match: 'LOOK-FOR-THE-SETTINGS', text: `The file sets OPENAI_API_KEY=${KEY}.` },
    ],
  });
  try {
    const { summary, runDir, log } = await runLeaky(server, workspace);
    assert.equal(summary.status, 'final_answer');
    assertNoKey(JSON.stringify(summary), 'the returned summary');
    const steps = log.filter((r) => r.type === 'step');
    assert.equal(steps.length, 3);
    assert.match(steps[0].observation, /\[redacted OPENAI_API_KEY\]/);
    assert.match(steps[1].observation, /\[redacted OPENAI_API_KEY\]/);
    assertNoKey(readFileSync(join(runDir, 'log.jsonl'), 'utf8'), 'log.jsonl');
    assertNoKey(readFileSync(join(runDir, 'summary.json'), 'utf8'), 'summary.json');
  } finally {
    await server.close();
  }
});

test('a key cut across two output chunks is redacted in the file and in the kept head and tail', async () => {
  const redactor = new Redactor([{ value: KEY, name: 'OPENAI_API_KEY' }]);
  for (const [headChars, tailChars] of [
    [2500, 2500],
    [10, 10],
    [0, 4000],
  ]) {
    const file = join(mkdtempSync(join(tmpdir(), 'budgetml-capture-')), 'out.log');
    const capture = new OutputCapture(file, { headChars, tailChars, redactor });
    const text = `start ${KEY} middle ${KEY} end\n`;
    const cut = text.indexOf(KEY) + 10;
    const second = text.lastIndexOf(KEY) + 3;
    capture.write(text.slice(0, cut));
    capture.write(text.slice(cut, second));
    capture.write(text.slice(second));
    await capture.close();
    const saved = readFileSync(file, 'utf8');
    assert.equal(saved, 'start [redacted OPENAI_API_KEY] middle [redacted OPENAI_API_KEY] end\n');
    assertNoKey(capture.text(), `the kept text (${headChars}/${tailChars})`);
    if (headChars > 100) assert.equal(capture.text(), saved);
  }
});

test('the kept text of a capture not yet closed holds no key either', () => {
  const redactor = new Redactor([{ value: KEY, name: 'OPENAI_API_KEY' }]);
  const capture = new OutputCapture(join(mkdtempSync(join(tmpdir(), 'budgetml-capture-')), 'out.log'), { redactor });
  capture.write(`a ${KEY.slice(0, 5)}`);
  capture.write(`${KEY.slice(5)} b`);
  assert.equal(capture.text(), 'a [redacted OPENAI_API_KEY] b');
});

test('the research log redacts the line it writes and the record it keeps', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'budgetml-log-')), 'log.jsonl');
  const redactor = new Redactor([{ value: KEY, name: 'OPENAI_API_KEY' }]);
  const log = ResearchLog.create(path, (text) => redactor.text(text));
  const kept = log.append({ type: 'warning', message: `leaked ${KEY}` });
  assert.equal((kept as { message: string }).message, 'leaked [redacted OPENAI_API_KEY]');
  assertNoKey(readFileSync(path, 'utf8'), 'log.jsonl');
  assertNoKey(JSON.stringify(log.all()), 'the kept records');
  const plain = log.append({ type: 'warning', message: 'nothing secret' });
  assert.equal((plain as { message: string }).message, 'nothing secret');
});

test('the script environment: provider keys out, exclude and pass honoured, never a key passed back', () => {
  const config = parseConfig({
    providers: { openai: { apiKeyEnv: 'MY_OPENAI' }, gemini: { apiKeyEnv: 'MY_GEMINI' } },
    scriptEnv: { exclude: ['AWS_SECRET_ACCESS_KEY', 'HOME'], pass: ['HOME', 'GOOGLE_API_KEY', 'KEY_AGAIN'] },
  });
  const base = {
    PATH: '/usr/bin',
    HOME: '/home/me',
    MY_OPENAI: KEY,
    MY_GEMINI: GEMINI_KEY,
    OPENAI_API_KEY: 'another-openai-key-123456',
    ANTHROPIC_API_KEY: 'sk-ant-0123456789',
    AZURE_OPENAI_API_KEY: 'azure-0123456789',
    OPENROUTER_API_KEY: 'sk-or-0123456789',
    GOOGLE_API_KEY: 'a-google-cloud-key-the-user-wants',
    AWS_SECRET_ACCESS_KEY: 'aws-secret',
    KEY_AGAIN: KEY,
    URL_WITH_KEY: `https://api.example.com/?key=${GEMINI_KEY}`,
    PYTHONUNBUFFERED: '0',
    SHORT: 'x',
  };
  const env = scriptEnvironment(base, config, [KEY, GEMINI_KEY, undefined]);
  assert.deepEqual(env, {
    PATH: '/usr/bin',
    HOME: '/home/me',
    GOOGLE_API_KEY: 'a-google-cloud-key-the-user-wants',
    PYTHONUNBUFFERED: '1',
    SHORT: 'x',
  });
  assert.equal(scriptEnvironment({}, config, []).PYTHONUNBUFFERED, '1');
});

test('a key pasted into providers.*.apiKeyEnv is never echoed in an error', () => {
  const pasted = ['sk-proj-abcDEF1234567890ghiJKL', 'AIzaSyA-1234567890abcdefghij', '9xFq2LmN8pR4tV6wY0zB3cD5'];
  for (const value of pasted) {
    assert.throws(
      () => parseConfig({ providers: { openai: { apiKeyEnv: value } } }),
      (error: Error) =>
        error instanceof ConfigError && error.message.includes('providers.openai.apiKeyEnv') && !error.message.includes(value),
      value,
    );
    // a config that skipped validation (built in code) still never shows it
    const config = structuredClone(parseConfig({}));
    config.providers.openai.apiKeyEnv = value;
    assert.throws(
      () => requireKey('openai', config, {}),
      (error: Error) => error instanceof ConfigError && /apiKeyEnv/.test(error.message) && !error.message.includes(value),
    );
  }
  const named = parseConfig({});
  assert.throws(() => requireKey('openai', named, {}), /set the environment variable OPENAI_API_KEY/);
});

test("an MLAgentBench task's prepare.py runs without the keys, and prepare.log holds none", async () => {
  const folder = mkdtempSync(join(tmpdir(), 'budgetml-secrets-bench-'));
  const scripts = join(folder, 'scripts');
  mkdirSync(join(folder, 'env'), { recursive: true });
  mkdirSync(scripts);
  writeFileSync(
    join(scripts, 'prepare.py'),
    `import json, os\nopen('env_seen.json', 'w').write(json.dumps(dict(os.environ)))\nprint('the key: ${KEY}')\nraise SystemExit(1)\n`,
  );
  const outputsDir = join(folder, 'outputs');
  const saved = { openai: process.env.OPENAI_API_KEY, copy: process.env.MY_KEY_COPY };
  process.env.OPENAI_API_KEY = KEY;
  process.env.MY_KEY_COPY = KEY;
  try {
    const deps = { host: new NodeHost(() => {}), python: PYTHON, outputsDir, signal: new AbortController().signal };
    await assert.rejects(setUpBenchmark({ folder, env: join(folder, 'env'), scripts }, join(folder, 'ws'), deps), (error: Error) => {
      assertNoKey(error.message, 'the error');
      return /redacted OPENAI_API_KEY/.test(error.message);
    });
  } finally {
    restore('OPENAI_API_KEY', saved.openai);
    restore('MY_KEY_COPY', saved.copy);
  }
  const seen = JSON.parse(readFileSync(join(scripts, 'env_seen.json'), 'utf8')) as Record<string, string>;
  assert.equal(seen.OPENAI_API_KEY, undefined);
  assert.equal(seen.MY_KEY_COPY, undefined);
  assertNoKey(readFileSync(join(outputsDir, 'prepare.log'), 'utf8'), 'prepare.log');
});

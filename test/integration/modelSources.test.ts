/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { spendText } from '../../src/shared/money';
import type { RunSummary } from '../../src/core/run';
import type { BudgetmlApi } from '../../src/host/api';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { planner, readLog, resetSettings, runDirs } from './fakeRun';
import { budgetml, closeAllEditors, EXTENSION_ID, inWorkspace, screenshot, setSetting, useDarkTheme, waitFor } from './helpers';

/** A stand-in for Ollama: lists one model at GET /v1/models and passes everything else to the fake server. */
async function startLocalServer(upstream: FakeServer, model: string): Promise<{ url: string; close(): Promise<void> }> {
  const origin = new URL(upstream.url).origin;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', owned_by: 'library' }] }));
    }
    const proxied = http.request(new URL(req.url ?? '/', origin), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The sample's train.py (a DecisionTreeRegressor), which the recorded demo was made on. */
function sampleTrainPy(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  const sample = path.join(extension.extensionPath, 'media', 'samples', 'diabetes', 'train.py');
  if (fs.existsSync(sample)) return fs.readFileSync(sample, 'utf8');
  return 'from sklearn.tree import DecisionTreeRegressor\nmodel = DecisionTreeRegressor(max_depth=2, random_state=0)\n';
}

describe('model sources: keys, a local server, the recorded demo', function () {
  this.timeout(60000);
  let api: BudgetmlApi;
  let savedPrompts: BudgetmlApi['host']['prompts'];
  let savedLocal: string;
  let server: FakeServer | undefined;
  const original = fs.readFileSync(inWorkspace('train.py'), 'utf8');

  let restoreTheme: () => Thenable<void>;

  before(async () => {
    restoreTheme = await useDarkTheme();
    api = await budgetml();
    savedPrompts = api.host.prompts;
    savedLocal = api.runs.localBaseUrl;
  });

  after(async () => {
    await restoreTheme();
  });

  beforeEach(async () => {
    // no provider has a key
    await setSetting('providers.openai.apiKeyEnv', 'BUDGETML_TEST_UNSET_KEY');
    await setSetting('providers.gemini.apiKeyEnv', 'BUDGETML_TEST_UNSET_KEY');
  });

  afterEach(async () => {
    if (api.runs.running) {
      api.runs.stop();
      await waitFor(() => !api.runs.running, 'the run to stop');
    }
    api.host.prompts = savedPrompts;
    api.runs.localBaseUrl = savedLocal;
    await server?.close();
    server = undefined;
    await resetSettings();
    await setSetting('providers.openai.apiKeyEnv', undefined);
    await setSetting('providers.gemini.apiKeyEnv', undefined);
    await closeAllEditors();
    fs.writeFileSync(inWorkspace('train.py'), original);
  });

  it('without a key or a local server, says what to do and offers the recorded demo', async () => {
    let offered: { providers: string[]; demo: boolean | undefined } | undefined;
    api.host.prompts = { ...savedPrompts, missingKeys: (providers, demo) => (offered = { providers, demo }) };
    api.runs.localBaseUrl = 'http://127.0.0.1:9/v1'; // nothing listens there
    assert.equal(await vscode.commands.executeCommand('budgetml.startTask', { goal: 'improve the score' }), undefined);
    assert.deepEqual(offered?.providers.sort(), ['gemini', 'openai']);
    assert.equal(offered?.demo, true);
  });

  it('without a key, offers a local OpenAI-compatible server and runs on its first model, priced at zero', async () => {
    server = await startFakeOpenAI({ replies: planner([{ action: 'Final Answer', input: { final_answer: 'nothing to do' } }]) });
    const local = await startLocalServer(server, 'llama3.2:3b');
    let offer: { model: string; baseUrl: string } | undefined;
    api.host.prompts = { ...savedPrompts, offerLocalModel: async (_providers, model, baseUrl) => ((offer = { model, baseUrl }), true) };
    api.runs.localBaseUrl = local.url;
    try {
      const summary = await vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', { goal: 'Check the project.' });
      assert.deepEqual(offer, { model: 'llama3.2:3b', baseUrl: local.url });
      assert.equal(summary?.status, 'final_answer', summary?.message);
      assert.equal(summary?.cost.usd, 0);
      assert.deepEqual(Object.keys(summary?.cost.byModel ?? {}), ['openai:llama3.2:3b']);
      assert.equal((server.requests[0].body as { model: string }).model, 'llama3.2:3b');
      const header = readLog(summary!.runDir)[0];
      assert.deepEqual(header.models, { planner: ['openai:llama3.2:3b'], worker: ['openai:llama3.2:3b'], expert: 'openai:llama3.2:3b' });
    } finally {
      await local.close();
    }
  });

  it('does not replay the demo in a workspace whose files it was not recorded on', async () => {
    const before = new Set(runDirs());
    assert.equal(await vscode.commands.executeCommand('budgetml.startTask', { replay: true }), undefined);
    assert.deepEqual(
      runDirs().filter((d) => !before.has(d)),
      [],
    );
  });

  it('replays the recorded demo with { replay: true }: labelled Replay in the status bar and the sidebar', async () => {
    fs.writeFileSync(inWorkspace('train.py'), sampleTrainPy());
    await setSetting('autoRunScripts', true);
    await vscode.commands.executeCommand('budgetml.sidebar.focus');
    const running = vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', { replay: true });
    await waitFor(() => api.meter.item.text.startsWith('Replay '), 'the Replay label in the status bar');
    const { cost } = api.sidebar.session.view;
    assert.equal(
      api.meter.item.text,
      `Replay $(credit-card) ${spendText(cost.usd, cost.budgetUsd, cost.streaming)}`,
      'the sidebar’s figure',
    );
    assert.match(api.meter.item.text, / \/ \$1\.00$/);
    await waitFor(() => api.sidebar.provider.delivered?.replay, 'the Replay badge in the sidebar');
    assert.equal(api.runs.requestExpert(), 'a replay has no expert to ask');
    await waitFor(
      () => (api.sidebar.session.view.timeline.filter((t) => t.done).length >= 2 ? true : undefined),
      'two replayed steps',
      30000,
    );
    await screenshot('sidebar-replay', { clearNotifications: true });
    assert.equal(await vscode.commands.executeCommand('budgetml.stopTask'), true);
    const summary = await running;
    assert.equal(summary?.replay, true);
    assert.equal(summary?.status, 'cancelled');
    assert.ok(path.basename(summary!.runDir).startsWith('replay-'), summary!.runDir);
    assert.ok(summary!.cost.usd > 0, 'the replayed tokens are priced as gpt-4.1-mini');
    assert.deepEqual(Object.keys(summary!.cost.byModel), ['openai:gpt-4.1-mini']);
    const steps = readLog(summary!.runDir).filter((r) => r.type === 'step');
    assert.deepEqual(
      steps.slice(0, 2).map((s) => (s.response as { action: string }).action),
      ['List Files', 'Understand File'],
    );
  });
});

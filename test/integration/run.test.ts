/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/run';
import { formatUsd, spendText } from '../../src/shared/money';
import type { BudgetmlApi } from '../../src/host/api';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { fenced, plannerReply, PLANNER_MATCH, type PlannerStep } from '../fixtures/plannerReplies';
import { planner, readLog, resetSettings, runDirs, useFakeModels } from './fakeRun';
import { budgetml, closeAllEditors, inWorkspace, screenshot, setSetting, sleep, waitFor } from './helpers';

describe('a scripted run against a fake model server', function () {
  this.timeout(120000);
  let api: BudgetmlApi;
  let server: FakeServer | undefined;
  const original = fs.readFileSync(inWorkspace('train.py'), 'utf8');

  before(async () => {
    api = await budgetml();
    await closeAllEditors();
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await resetSettings();
    await closeAllEditors();
    fs.rmSync(inWorkspace('budgetml.task.json'), { force: true });
    fs.writeFileSync(inWorkspace('train.py'), original);
  });

  it('Start Task: goal from budgetml.task.json, reviewed edit with the user’s change, script in the terminal, scores, spend', async () => {
    fs.writeFileSync(
      inWorkspace('budgetml.task.json'),
      JSON.stringify({
        goal: 'Raise the accuracy printed by train.py.',
        script: 'train.py',
        evalCommand: 'python3 train.py',
        metric: 'accuracy',
        direction: 'higher',
      }),
    );
    const edited = original.replace('epochs = 10', 'epochs = 20');
    server = await startFakeOpenAI(
      {
        replies: [
          ...planner([
            { action: 'List Files', input: { dir_path: '.' } },
            {
              action: 'Edit Script (AI)',
              input: { script_name: 'train.py', edit_instruction: 'Double the number of epochs.', save_name: 'train.py' },
            },
            { action: 'Execute Script', input: { script_name: 'train.py' } },
            { action: 'Final Answer', input: { final_answer: 'Training longer raised the accuracy.' } },
          ]),
          { match: 'Double the number of epochs', text: fenced(edited) },
        ],
      },
      { apiKey: 'sk-stored-for-the-test' },
    );
    await useFakeModels(server);
    await api.keys.store('openai', 'sk-stored-for-the-test'); // the server refuses any other key
    const before = new Set(runDirs());
    const running = vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask');
    // the goal input box opens prefilled from the task file: accept it as it is
    const runDir = await waitFor(async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await sleep(200);
      return runDirs().find((d) => !before.has(d));
    }, 'the run folder');

    const tab = await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'budgetml-proposal'),
      'the proposed edit',
      60000,
    );
    const proposalUri = (tab.input as vscode.TabInputTextDiff).modified;
    const doc = await vscode.workspace.openTextDocument(proposalUri);
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('epochs = '));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposalUri, doc.lineAt(line).range, 'epochs = 30');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await sleep(1000); // let the diff render
    await screenshot('run-review');
    await vscode.commands.executeCommand('budgetml.acceptEdit');

    const summary = await running;
    assert.ok(summary, 'the command returns the summary');
    assert.equal(summary.status, 'final_answer', summary.message);
    assert.equal(summary.steps, 4);
    assert.equal(summary.runDir, runDir);
    assert.ok(Math.abs((summary.baseline ?? NaN) - 0.6) < 1e-9, `baseline ${summary.baseline}`);
    assert.ok(Math.abs((summary.score ?? NaN) - 0.8) < 1e-9, `score ${summary.score}: the user's 30 epochs count`);
    assert.equal(summary.success, true);
    assert.ok(summary.cost.usd > 0);
    assert.match(fs.readFileSync(inWorkspace('train.py'), 'utf8'), /^epochs = 30$/m);

    const steps = readLog(runDir).filter((r) => r.type === 'step');
    assert.deepEqual(
      steps.map((s) => (s.response as { action: string }).action),
      ['List Files', 'Edit Script (AI)', 'Execute Script', 'Final Answer'],
    );
    assert.match(String(steps[1].observation), /epochs = 30/, 'the planner sees the user’s version of the edit');
    assert.match(String(steps[2].observation), /"score": 0\.8/, 'the script output from the terminal');
    assert.ok(fs.existsSync(path.join(runDir, 'summary.json')));
    assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, 'task.json'), 'utf8')).goal, 'Raise the accuracy printed by train.py.');
    assert.equal(api.meter.item.text, `$(credit-card) ${formatUsd(summary.cost.usd)} / $1.00`);
    assert.equal(api.meter.item.text, `$(credit-card) ${spendText(api.sidebar.session.view.cost.usd, 1)}`, 'the sidebar’s figure');
    assert.equal(fs.readFileSync(inWorkspace('.budgetml', '.gitignore'), 'utf8'), '*\n', 'runs stay out of git');
    await screenshot('run-finished');
    await api.keys.store('openai', '');

    await vscode.commands.executeCommand('budgetml.openRunLog');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(runDir, 'log.jsonl'));
  });

  it('a script the interpreter cannot run: the run stops before any model call, saying what is missing', async () => {
    fs.writeFileSync(inWorkspace('broken.py'), 'import lightgbm_not_installed_here\nprint("accuracy: 1.0")\n');
    fs.writeFileSync(
      inWorkspace('budgetml.task.json'),
      JSON.stringify({ goal: 'Raise the accuracy.', script: 'broken.py', evalCommand: 'python3 broken.py', metric: 'accuracy' }),
    );
    server = await startFakeOpenAI({ replies: planner([{ action: 'Final Answer', input: { final_answer: 'never asked' } }]) });
    await useFakeModels(server);
    const before = new Set(runDirs());
    try {
      const result = await vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', { goal: 'Raise the accuracy.' });
      assert.equal(result, undefined, 'no summary: the run never started its steps');
      const runDir = runDirs().find((d) => !before.has(d));
      assert.ok(runDir, 'the run folder');
      const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
      assert.equal(summary.status, 'error');
      assert.match(summary.message ?? '', /has no module lightgbm_not_installed_here \(imported by broken\.py\)/);
      assert.equal(summary.verdict.verdict, 'not measured');
      assert.equal(server.requests.length, 0, 'nothing was spent');
      await screenshot('preflight-failure');
    } finally {
      fs.rmSync(inWorkspace('broken.py'), { force: true });
      await vscode.commands.executeCommand('notifications.clearAll');
    }
  });

  it('Stop Task, then Resume Run continues the same run folder from the last finished step', async () => {
    const steps: PlannerStep[] = [
      { action: 'List Files', input: { dir_path: '.' } },
      { action: 'Copy File', input: { source: 'train.py', destination: 'train_copy.py' } },
      { action: 'Final Answer', input: { final_answer: 'done' } },
    ];
    // first life: step 1 finishes, the reply for step 2 does not come before Stop Task
    server = await startFakeOpenAI({
      replies: [...planner(steps.slice(0, 1)), { match: PLANNER_MATCH, text: plannerReply(steps[1], 2), delayMs: 60000 }],
    });
    await useFakeModels(server);
    const before = new Set(runDirs());
    const first = vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', { goal: 'Look around, then stop.' });
    const runDir = await waitFor(() => runDirs().find((d) => !before.has(d)), 'the run folder');
    await waitFor(() => fs.existsSync(path.join(runDir, 'log.jsonl')) && readLog(runDir).some((r) => r.type === 'step'), 'step 1', 30000);
    assert.equal(await vscode.commands.executeCommand('budgetml.stopTask'), true);
    assert.equal((await first)?.status, 'cancelled');
    await server.close();

    // a reload leaves no summary; the run is found by its log
    fs.rmSync(path.join(runDir, 'summary.json'), { force: true });
    server = await startFakeOpenAI({ replies: planner(steps.slice(1), 2) });
    await setSetting('providers.openai.baseUrl', server.url);
    let meterAtStart: string | undefined;
    let sidebarAtStart: number | undefined;
    // the sidebar follows the run first (it subscribed at activation), then this listener reads both
    const listener = api.runs.onDidRunEvent((event) => {
      if (event.type !== 'run-started') return;
      meterAtStart = api.meter.item.text;
      sidebarAtStart = api.sidebar.session.view.cost.usd;
    });
    let resumed: RunSummary | undefined;
    try {
      resumed = await vscode.commands.executeCommand<RunSummary | undefined>('budgetml.resumeRun');
    } finally {
      listener.dispose();
    }
    assert.ok(sidebarAtStart && sidebarAtStart > 0, `the sidebar starts from the first life’s spend: ${sidebarAtStart}`);
    assert.equal(meterAtStart, `$(credit-card) ${spendText(sidebarAtStart, 1)}`, 'the meter shows the sidebar’s figure');
    assert.equal(resumed?.status, 'final_answer', resumed?.message);
    assert.equal(resumed?.runDir, runDir);
    const log = readLog(runDir);
    assert.deepEqual(
      log.filter((r) => r.type === 'step').map((r) => r.step),
      [1, 2, 3],
    );
    assert.equal(log.filter((r) => r.type === 'resume').length, 1);
    assert.equal(server.requests.length, 2, 'only the unfinished steps are asked for');
    assert.ok(fs.existsSync(inWorkspace('train_copy.py')));
    fs.rmSync(inWorkspace('train_copy.py'));
  });
});

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/run';
import type { BudgetmlApi } from '../../src/host/api';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { fenced, plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { planner, readLog, resetSettings, useFakeModels } from './fakeRun';
import { budgetml, closeAllEditors, inWorkspace, nextRender, screenshot, useDarkTheme, waitFor } from './helpers';

function openEditors(): vscode.TextEditor[] {
  return [...vscode.window.visibleTextEditors];
}

async function editorShowing(what: string, test: (uri: vscode.Uri) => boolean): Promise<vscode.TextEditor> {
  return waitFor(() => vscode.window.visibleTextEditors.find((e) => test(e.document.uri)), what);
}

describe('the sidebar', function () {
  this.timeout(60000);
  let api: BudgetmlApi;
  let server: FakeServer | undefined;
  let summary: RunSummary | undefined;
  const original = fs.readFileSync(inWorkspace('train.py'), 'utf8');

  let restoreTheme: () => Thenable<void>;

  before(async () => {
    restoreTheme = await useDarkTheme();
    api = await budgetml();
    await closeAllEditors();
  });

  after(async () => {
    await restoreTheme();
  });

  afterEach(async () => {
    if (api.runs.running) {
      api.runs.stop();
      await waitFor(() => !api.runs.running, 'the run to stop');
    }
    await server?.close();
    server = undefined;
    await resetSettings();
    await closeAllEditors();
    fs.rmSync(inWorkspace('budgetml.task.json'), { force: true });
    fs.writeFileSync(inWorkspace('train.py'), original);
  });

  it('opens in VS Code and follows a scripted run, its pending edit accepted from the sidebar', async () => {
    // a closed sidebar, opened: its page loads and draws (what it kept, else what the host sends)
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const rendered = nextRender(api.sidebar.provider);
    await vscode.commands.executeCommand('budgetml.sidebar.focus');
    await rendered;
    await waitFor(() => api.sidebar.provider.delivered, 'the state in the page');
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
    server = await startFakeOpenAI({
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
        { match: 'Double the number of epochs', text: fenced(original.replace('epochs = 10', 'epochs = 20')) },
      ],
    });
    await useFakeModels(server);
    const running = vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', {
      goal: 'Raise the accuracy printed by train.py.',
    });
    const decision = await waitFor(
      () => {
        const shown = api.sidebar.provider.delivered?.decision;
        return shown?.kind === 'edit' && shown.file === 'train.py' ? shown : undefined;
      },
      'the pending edit in the sidebar',
      30000,
    );
    assert.equal(api.sidebar.provider.delivered?.now?.kind, 'waiting');
    await screenshot('sidebar-pending-edit', { clearNotifications: true });
    await api.sidebar.provider.receive({ type: 'decide', id: decision.id, choice: 'accept' });
    summary = await running;
    assert.equal(summary?.status, 'final_answer', summary?.message);

    const view = await waitFor(
      () => (api.sidebar.provider.delivered?.run?.status === 'final_answer' ? api.sidebar.provider.delivered : undefined),
      'the end in the sidebar',
    );
    assert.deepEqual(view, api.sidebar.session.view, 'the webview shows the whole state');
    assert.equal(view.run?.goal, 'Raise the accuracy printed by train.py.');
    assert.deepEqual(
      view.timeline.map((t) => t.action),
      ['List Files', 'Edit Script (AI)', 'Execute Script', 'Final Answer'],
    );
    assert.deepEqual(view.timeline[1].artifacts, ['diff']);
    assert.equal(view.decision, null);
    assert.ok(Math.abs(view.cost.usd - summary!.cost.usd) < 1e-9, `${view.cost.usd} vs ${summary!.cost.usd}`);
    assert.equal(view.metrics.baseline, 0.6);
    // the verdict, from the measured baseline and final score; the chart from the experiments
    assert.equal(view.verdict?.verdict, 'improved', view.verdict?.reason);
    assert.deepEqual([view.verdict?.baseline, view.verdict?.final, view.verdict?.higherIsBetter], [0.6, 0.7, true]);
    assert.deepEqual(
      view.metrics.points.filter((p) => p.source === 'experiment').map((p) => [p.step, p.score]),
      [[3, 0.7]],
    );
    assert.ok(view.metrics.axis && view.metrics.axis.low <= 0.6 && view.metrics.axis.high >= 0.7);
    assert.equal(view.replay, false);
    assert.match(fs.readFileSync(inWorkspace('train.py'), 'utf8'), /^epochs = 20$/m);
    await screenshot('sidebar-run', { clearNotifications: true });
  });

  it('ignores messages that do not fit the protocol', async () => {
    const before = openEditors().length;
    const invalid: unknown[] = [
      null,
      'start',
      { type: 'deleteEverything' },
      { type: 'start', now: true },
      { type: 'openArtifact', step: -1, kind: 'diff' },
      { type: 'openArtifact', step: 2, kind: '../../etc/passwd' },
      { type: 'openArtifact', step: 2, kind: 'diff', path: '/etc/passwd' },
      { type: 'openArtifact', step: 2, kind: 'diff', cite: 'x'.repeat(500) },
    ];
    for (const message of invalid) await api.sidebar.provider.receive(message);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(openEditors().length, before, 'nothing opened');
    assert.equal(api.runs.running, false, 'nothing started');
  });

  it('opens what a step produced: its diff (cite revealed), its output, its observation, the plan versions', async () => {
    const runDir = summary!.runDir;
    await api.sidebar.provider.receive({ type: 'openArtifact', step: 2, kind: 'diff', cite: 'epochs = 20' });
    const diff = await editorShowing(
      'the diff of step 2',
      (uri) => uri.scheme === 'file' && uri.fsPath.startsWith(runDir) && uri.fsPath.endsWith('.diff'),
    );
    assert.equal(diff.document.getText(diff.selection), 'epochs = 20', 'the cited text is selected');

    await api.sidebar.provider.receive({ type: 'openArtifact', step: 3, kind: 'output' });
    const output = await editorShowing('the output of step 3', (uri) => uri.fsPath.startsWith(path.join(runDir, 'outputs')));
    assert.match(output.document.getText(), /"score": 0\.7/);

    await api.sidebar.provider.receive({ type: 'openArtifact', step: 1, kind: 'observation' });
    const observation = await editorShowing(
      'the observation of step 1',
      (uri) => uri.scheme === 'budgetml-text' && uri.path.endsWith('step-1-observation.txt'),
    );
    const step1 = readLog(runDir).find((r) => r.type === 'step' && r.step === 1)!;
    assert.equal(observation.document.getText(), step1.observation);

    await api.sidebar.provider.receive({ type: 'showHistory' });
    const history = await editorShowing(
      'the plan versions',
      (uri) => uri.scheme === 'budgetml-text' && uri.path.endsWith('research-plan.md'),
    );
    assert.equal(history.document.languageId, 'markdown');
    assert.match(history.document.getText(), /## Step 1\n[\s\S]*## Step 4\n/);
    await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType)),
      'the markdown preview of the plan versions',
    );
  });

  it('opens artifacts only inside the run folder, whatever the log says', async () => {
    const runDir = summary!.runDir;
    const outside = path.relative(runDir, inWorkspace('train.py'));
    const forged = {
      type: 'step',
      step: 99,
      time: new Date().toISOString(),
      response: { action: 'Edit Script (AI)' },
      observation: 'x',
      model: 'openai:cheap',
      artifacts: { diff: outside },
    };
    fs.appendFileSync(path.join(runDir, 'log.jsonl'), JSON.stringify(forged) + '\n');
    const before = openEditors().length;
    await api.sidebar.provider.receive({ type: 'openArtifact', step: 99, kind: 'diff' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(openEditors().length, before, `${outside} stays closed`);
  });

  it('Ask the expert: the expert model plans the next step and a lifeline is spent', async () => {
    assert.equal(api.runs.requestExpert(), 'no run is going');
    server = await startFakeOpenAI({
      replies: [
        { match: PLANNER_MATCH, model: 'cheap', text: plannerReply({ action: 'List Files', input: { dir_path: '.' } }, 1), delayMs: 800 },
        {
          match: PLANNER_MATCH,
          model: 'expert',
          text: plannerReply({ action: 'Final Answer', input: { final_answer: 'The expert says: done.' } }, 2),
        },
      ],
    });
    await useFakeModels(server);
    const running = vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', { goal: 'Look around.' });
    await waitFor(() => server!.requests.length >= 1 && api.runs.running, 'the planner asked for step 1');
    const saved = api.host.prompts;
    let quoted: number | null | undefined;
    api.host.prompts = { ...saved, confirmExpert: async (worstCaseUsd) => ((quoted = worstCaseUsd), true) };
    try {
      await api.sidebar.provider.receive({ type: 'askExpert' });
    } finally {
      api.host.prompts = saved;
    }
    assert.notEqual(quoted, undefined, 'the user saw the worst case before the expert was asked');
    const result = await running;
    assert.equal(result?.status, 'final_answer', result?.message);
    assert.equal(result?.lifelinesUsed, 1);
    const steps = readLog(result!.runDir).filter((r) => r.type === 'step');
    assert.deepEqual(
      steps.map((s) => s.model),
      ['openai:cheap', 'openai:expert'],
    );
    const expertPrompt = JSON.stringify(server.requests[1].body);
    assert.match(expertPrompt, /The user asked the expert to plan this step\./);
    assert.equal(api.sidebar.session.view.cost.lifelinesLeft, 4);
    assert.equal(api.runs.requestExpert(), 'no run is going');
  });
});

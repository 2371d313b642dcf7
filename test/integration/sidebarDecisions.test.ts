/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ScriptRequest } from '../../src/core/host';
import type { RunSummary } from '../../src/core/run';
import type { BudgetmlApi } from '../../src/host/api';
import type { DecisionView } from '../../src/shared/viewModels';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { fenced, plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { planner, readLog, resetSettings, useFakeModels } from './fakeRun';
import { budgetml, closeAllEditors, inWorkspace, setSetting, sleep, waitFor, workspaceDir, openBoxes } from './helpers';

/** The decision the sidebar shows now, once it is of `kind`. */
function pendingCard<K extends DecisionView['kind']>(api: BudgetmlApi, kind: K): Promise<Extract<DecisionView, { kind: K }>> {
  return waitFor(
    () => {
      const decision = api.sidebar.session.view.decision;
      return decision?.kind === kind ? (decision as Extract<DecisionView, { kind: K }>) : undefined;
    },
    `a pending ${kind} in the sidebar`,
    30000,
  );
}

function markRequest(): ScriptRequest {
  return { command: 'python3', args: ['mark.py'], cwd: workspaceDir(), purpose: 'agent', display: 'python3 mark.py' };
}

describe('decisions, steering and Restricted Mode', function () {
  this.timeout(90000);
  let api: BudgetmlApi;
  let server: FakeServer | undefined;
  const original = fs.readFileSync(inWorkspace('train.py'), 'utf8');
  const marker = inWorkspace('ran.txt');

  before(async () => {
    api = await budgetml();
    await closeAllEditors();
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
    fs.writeFileSync(inWorkspace('train.py'), original);
    fs.rmSync(inWorkspace('mark.py'), { force: true });
    fs.rmSync(marker, { force: true });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('a run with approval on: Decline and Reject with reasons and Run, all from the sidebar’s cards; the status bar says Waiting for you', async () => {
    server = await startFakeOpenAI({
      replies: [
        ...planner([
          { action: 'Execute Script', input: { script_name: 'train.py' } },
          {
            action: 'Edit Script (AI)',
            input: { script_name: 'train.py', edit_instruction: 'Double the number of epochs.', save_name: 'train.py' },
          },
          { action: 'Execute Script', input: { script_name: 'train.py' } },
          { action: 'Final Answer', input: { final_answer: 'Done.' } },
        ]),
        { match: 'Double the number of epochs', text: fenced(original.replace('epochs = 10', 'epochs = 20')) },
      ],
    });
    await useFakeModels(server);
    await setSetting('autoRunScripts', false);
    const running = vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', { goal: 'Raise the accuracy.' });

    const first = await pendingCard(api, 'run');
    assert.equal(first.command.endsWith('train.py'), true, first.command);
    assert.equal(first.folder, '.');
    assert.equal(api.sidebar.session.view.now?.kind, 'waiting');
    await waitFor(() => api.meter.item.text.startsWith('$(bell) Waiting for you'), 'the status bar to say Waiting for you');
    await api.sidebar.provider.receive({ type: 'decide', id: first.id, choice: 'decline', reason: 'edit it first' });

    const edit = await pendingCard(api, 'edit');
    assert.deepEqual([edit.file, edit.hunks, edit.added, edit.removed], ['train.py', 1, 1, 1]);
    assert.equal(edit.reason, 'Double the number of epochs.');
    await api.sidebar.provider.receive({ type: 'decide', id: edit.id, choice: 'reject', reason: 'keep ten epochs' });

    const second = await pendingCard(api, 'run');
    assert.notEqual(second.id, first.id);
    // an answer that does not fit the card, and one for a card that is gone, are ignored
    await api.sidebar.provider.receive({ type: 'decide', id: second.id, choice: 'accept' });
    await api.sidebar.provider.receive({ type: 'decide', id: first.id, choice: 'run' });
    assert.equal(api.decisions.pending?.view.id, second.id);
    await api.sidebar.provider.receive({ type: 'decide', id: second.id, choice: 'run' });

    const summary = await running;
    assert.equal(summary?.status, 'final_answer', summary?.message);
    const steps = readLog(summary!.runDir).filter((r) => r.type === 'step');
    assert.match(String(steps[0].observation), /edit it first/, 'the decline reason reaches the planner');
    assert.match(String(steps[1].observation), /keep ten epochs/, 'the reject reason reaches the planner');
    assert.match(String(steps[2].observation), /"score": 0\.6/, `the approved run ran: ${String(steps[2].observation)}`);
    assert.equal(fs.readFileSync(inWorkspace('train.py'), 'utf8'), original, 'the rejected edit is not on disk');
    assert.equal(api.decisions.pending, undefined);
    assert.equal(api.sidebar.session.view.decision, null);
    assert.ok(!api.meter.item.text.includes('Waiting'), api.meter.item.text);
  });

  it('Stop withdraws the pending decision: a later answer is ignored and nothing runs', async () => {
    fs.writeFileSync(inWorkspace('mark.py'), `open(${JSON.stringify(marker)}, "w").write("ran")\n`);
    server = await startFakeOpenAI({ replies: planner([{ action: 'Execute Script', input: { script_name: 'mark.py' } }]) });
    await useFakeModels(server);
    await setSetting('autoRunScripts', false);
    const running = vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', { goal: 'Run mark.py.' });
    const card = await pendingCard(api, 'run');
    assert.equal(await vscode.commands.executeCommand('budgetml.stopTask'), true);
    assert.equal((await running)?.status, 'cancelled');
    assert.equal(api.decisions.pending, undefined);
    assert.equal(api.sidebar.session.view.decision, null);
    await api.sidebar.provider.receive({ type: 'decide', id: card.id, choice: 'run' });
    assert.equal(await vscode.commands.executeCommand('budgetml.decide', card.id, 'run'), false, 'the notification’s Run does nothing');
    await sleep(1000);
    assert.equal(fs.existsSync(marker), false, 'nothing ran');
  });

  it('a Decline that asks why: the sidebar’s Run still wins and closes the box; Stop closes it too', async () => {
    fs.writeFileSync(inWorkspace('mark.py'), `open(${JSON.stringify(marker)}, "w").write("ran")\n`);
    await setSetting('autoRunScripts', false);
    const saved = api.host.prompts;
    const boxes = openBoxes();
    api.host.prompts = { ...saved, declineReason: (command, token) => boxes.open(command, token) };
    try {
      const running = api.host.runScript(markRequest(), () => undefined, new AbortController().signal);
      const card = await pendingCard(api, 'run');
      // the notification's Cancel: Decline, asking why
      const declining = vscode.commands.executeCommand('budgetml.decide', card.id, 'decline');
      await waitFor(() => boxes.all.length === 1, 'the box asking why');
      await api.sidebar.provider.receive({ type: 'decide', id: card.id, choice: 'run' });
      const exit = await running;
      assert.equal(exit.declined, undefined, 'the Run wins');
      assert.equal(exit.exitCode, 0);
      assert.equal(boxes.all[0].closed, true, 'the box closes');
      assert.equal(await declining, true);
      assert.equal(fs.existsSync(marker), true, 'it ran');
      fs.rmSync(marker, { force: true });

      const stop = new AbortController();
      const stopped = api.host.runScript(markRequest(), () => undefined, stop.signal);
      const second = await pendingCard(api, 'run');
      assert.notEqual(second.id, card.id);
      void vscode.commands.executeCommand('budgetml.decide', second.id, 'decline');
      await waitFor(() => boxes.all.length === 2, 'the box asking why');
      stop.abort();
      assert.equal((await stopped).cancelled, true);
      await waitFor(() => boxes.all[1].closed, 'Stop to close the box');
      assert.equal(api.decisions.pending, undefined);
      assert.equal(fs.existsSync(marker), false, 'nothing ran');
    } finally {
      api.host.prompts = saved;
    }
  });

  it('steering: a note from the sidebar reaches the run’s Steering port; Pause and Continue show in the view', async () => {
    server = await startFakeOpenAI({
      replies: [
        { match: PLANNER_MATCH, text: plannerReply({ action: 'List Files', input: { dir_path: '.' } }, 1), delayMs: 1500 },
        ...planner([{ action: 'Final Answer', input: { final_answer: 'Done.' } }], 2),
      ],
    });
    await useFakeModels(server);
    const running = vscode.commands.executeCommand<RunSummary | undefined>('budgetml.startTask', { goal: 'Look around.' });
    await waitFor(() => server!.requests.length >= 1 && api.runs.steering, 'the first planner call');
    const steering = api.runs.steering!;
    const taken: string[] = [];
    const takeNotes = steering.takeNotes.bind(steering);
    steering.takeNotes = () => {
      const notes = takeNotes();
      taken.push(...notes);
      return notes;
    };
    await api.sidebar.provider.receive({ type: 'steer', text: 'Look at the data first.' });
    assert.deepEqual([...steering.waitingNotes, ...taken], ['Look at the data first.']);
    await api.sidebar.provider.receive({ type: 'pause' });
    assert.equal(api.sidebar.session.view.run?.paused, true);
    await api.sidebar.provider.receive({ type: 'continue' });
    assert.equal(api.sidebar.session.view.run?.paused, false);
    const summary = await running;
    assert.equal(summary?.status, 'final_answer', summary?.message);
    const asked = taken.length > 0;
    console.log(`      the core ${asked ? 'took' : 'did not take'} the note`);
  });

  it('Restricted Mode: the setup says untrusted, and Start Task explains instead of starting', async () => {
    const saved = api.host.prompts;
    let explained: string | undefined;
    api.host.prompts = { ...saved, explainUntrusted: (what) => (explained = what) };
    api.host.isTrusted = () => false;
    try {
      await api.setup.refresh();
      await waitFor(() => api.sidebar.session.view.setup.trusted === false || undefined, 'setup.trusted false');
      assert.equal(await vscode.commands.executeCommand('budgetml.startTask', { goal: 'anything' }), undefined);
      assert.equal(explained, 'Start Task');
      assert.equal(api.runs.running, false);
      explained = undefined;
      assert.equal(await vscode.commands.executeCommand('budgetml.resumeRun'), undefined);
      assert.equal(explained, 'Resume Run');
    } finally {
      api.host.prompts = saved;
      api.host.isTrusted = () => vscode.workspace.isTrusted;
      await api.setup.refresh();
    }
    assert.equal(api.sidebar.session.view.setup.trusted, true);
  });

  it('the setup names the providers the models need and which are ready, and sees the task file', async () => {
    await setSetting('models.planner', ['openai:gpt-4.1-mini']);
    await setSetting('models.worker', ['openai:gpt-4.1-mini']);
    await setSetting('models.expert', 'openai:gpt-4.1');
    await setSetting('providers.openai.apiKeyEnv', 'BUDGETML_TEST_UNSET_KEY');
    try {
      let setup = await api.setup.refresh();
      assert.deepEqual(setup.neededProviders, ['openai']);
      assert.equal(setup.readyProviders.includes('openai'), false);
      await api.keys.store('openai', 'sk-test');
      setup = await api.setup.refresh();
      assert.equal(setup.readyProviders.includes('openai'), true);
      fs.writeFileSync(inWorkspace('budgetml.task.json'), JSON.stringify({ goal: 'g' }));
      setup = await api.setup.refresh();
      assert.equal(setup.hasTaskFile, true);
      assert.deepEqual(api.sidebar.session.view.setup, setup);
    } finally {
      await api.keys.store('openai', '');
      await setSetting('providers.openai.apiKeyEnv', undefined);
      fs.rmSync(inWorkspace('budgetml.task.json'), { force: true });
    }
  });
});

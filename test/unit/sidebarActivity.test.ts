import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunEvent } from '../../src/core/events';
import type { LogRecord } from '../../src/core/memory/researchLog';
import { replyThought } from '../../src/core/view/replyThought';
import { sidebarFromLog } from '../../src/core/view/sidebarLog';
import { initialSidebar, reduceSidebar, type SidebarInput, type SidebarOptions } from '../../src/core/view/sidebarState';
import { ENDED_RUN, foldView, logOf, MID_RUN, OPTIONS as FIXTURE_OPTIONS } from './sidebarRenderFixture';

/** What the sidebar shows of the moment (the "Now" line, a pause) and of each step's time, cost and notes. */

const OPTIONS: SidebarOptions = { maxSteps: 10, lifelinesTotal: 3 };
const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const started: RunEvent = {
  type: 'run-started',
  runId: 'r1',
  runDir: '/runs/r1',
  goal: 'Lower the MAE.',
  budgetUsd: 1,
  resumedFromStep: 0,
};

function callStarted(callId: string, step: number, at: number, role: 'planner' | 'worker' | 'expert' = 'planner'): SidebarInput {
  return {
    type: 'call-started',
    time: iso(at),
    callId,
    step,
    role,
    model: 'openai:gpt-4.1-mini',
    purpose: 'plan',
    attempt: 1,
    promptTokens: 900,
    maxOutputTokens: 2000,
    worstCaseUsd: 0.004,
    priced: true,
  };
}

function call(callId: string, step: number, usd: number, role: 'planner' | 'worker' | 'expert' = 'planner'): SidebarInput {
  return {
    type: 'call',
    time: iso(T0),
    step,
    role,
    model: 'openai:gpt-4.1-mini',
    purpose: 'plan',
    attempt: 1,
    usage: { input: 900, cachedInput: 0, output: 200 },
    usd,
    priced: true,
    latencyMs: 800,
    callId,
  };
}

const planned = (step: number, action = 'Execute Script'): SidebarInput => ({
  type: 'planned',
  step,
  model: 'openai:gpt-4.1-mini',
  reflection: 'r',
  researchPlan: 'p',
  factCheck: 'f',
  thought: 't',
  action,
  actionInput: { script_name: 'train.py' },
});

const fold = (inputs: SidebarInput[], state = initialSidebar(OPTIONS)) =>
  inputs.reduce((s, input) => reduceSidebar(s, input, OPTIONS), state);

describe('the Now line', () => {
  test('a model call shows its role, model and start; its reply’s Thought streams in; its record ends it', () => {
    const calling = fold([started, { type: 'step-started', step: 1, at: T0 }, callStarted('c1', 1, T0 + 500)]);
    assert.deepEqual(calling.view.now, { kind: 'model', role: 'planner', model: 'openai:gpt-4.1-mini', startedAt: T0 + 500, thought: '' });
    const reply =
      'Reflection: the baseline ran.\nResearch Plan and Status: 1. **Ridge**\nFact Check: none\nThought: Try a linear\nmodel next';
    const streaming = fold([{ type: 'reply-progress', callId: 'c1', role: 'planner', model: 'openai:gpt-4.1-mini', text: reply }], calling);
    assert.equal(streaming.view.now?.kind === 'model' && streaming.view.now.thought, 'Try a linear model next');
    const whole = `${reply} (Ridge).\nAction: Edit Script (AI)\nAction Input: {"script_name": "train.py"}`;
    const done = fold([{ type: 'reply-progress', callId: 'c1', role: 'planner', model: 'openai:gpt-4.1-mini', text: whole }], streaming);
    assert.equal(done.view.now?.kind === 'model' && done.view.now.thought, 'Try a linear model next (Ridge).');
    assert.equal(fold([call('c1', 1, 0.002)], done).view.now, null);
  });

  test('the Thought is read under any heading style and stops at the next heading', () => {
    assert.equal(replyThought('Reflection: x\n**Thought:** check the data\n**Action:** List Files'), 'check the data');
    assert.equal(replyThought('### Thought\nsplit the data\n### Action Input\n{}'), 'split the data');
    assert.equal(replyThought('Reflection: the Thought: is not a heading here'), '');
    assert.equal(replyThought('Thought: look at train.py. Actionable next steps follow'), 'look at train.py. Actionable next steps follow');
  });

  test('a script shows its command, start, time limit and last line until its experiment is recorded', () => {
    const running = fold([
      started,
      {
        type: 'experiment-started',
        id: 1,
        step: 2,
        kind: 'execute',
        script: 'train.py',
        command: 'python train.py',
        startedAt: T0,
        timeoutSec: 600,
      },
      { type: 'script-output', step: 2, line: 'epoch 1/3 loss 0.41' },
    ]);
    assert.deepEqual(running.view.now, {
      kind: 'script',
      command: 'python train.py',
      startedAt: T0,
      lastLine: 'epoch 1/3 loss 0.41',
      timeoutSec: 600,
    });
    const record = {
      id: 1,
      step: 2,
      kind: 'execute' as const,
      script: 'train.py',
      command: 'python train.py',
      interpreter: 'python',
      startedAt: iso(T0),
      durationMs: 1000,
      exitCode: 0,
      outcome: 'ok' as const,
      metrics: {},
      output: 'outputs/experiment-1.log',
    };
    assert.equal(fold([{ type: 'experiment', time: iso(T0), experiment: record }], running).view.now, null);
  });

  const scriptStarted: RunEvent = {
    type: 'experiment-started',
    id: 1,
    step: 2,
    kind: 'execute',
    script: 't.py',
    command: 'python t.py',
    startedAt: T0,
    timeoutSec: null,
  };

  test('a script on a compute backend says where it runs', () => {
    const state = fold([started, { ...scriptStarted, where: 'gpu-box:work/proj' }]);
    assert.equal(state.view.now?.kind === 'script' && state.view.now.where, 'gpu-box:work/proj');
  });

  test('a worker call during the script shows the call, then the script again', () => {
    const state = fold([started, scriptStarted, callStarted('w1', 2, T0 + 10, 'worker')]);
    assert.equal(state.view.now?.kind, 'model');
    assert.equal(fold([call('w1', 2, 0.001, 'worker')], state).view.now?.kind, 'script');
  });

  test('paused: the run says so until it continues; the end of the run clears the Now line', () => {
    const paused = fold([started, { type: 'paused', afterStep: 3 }]);
    assert.equal(paused.view.run?.paused, true);
    assert.equal(paused.view.now?.kind, 'paused');
    const going = fold([{ type: 'continued' }], paused);
    assert.deepEqual([going.view.run?.paused, going.view.now], [false, null]);
    const ended = fold([callStarted('c9', 4, T0), { type: 'paused', afterStep: 4 }, { type: 'run-ended', status: 'cancelled' }], going);
    assert.deepEqual([ended.view.run?.paused, ended.view.now], [false, null]);
  });

  test('the expert’s worst case follows the quotes', () => {
    assert.equal(fold([started]).view.cost.expertWorstCaseUsd, null);
    assert.equal(fold([started, { type: 'expert-quote', usd: 0.012 }]).view.cost.expertWorstCaseUsd, 0.012);
  });
});

describe('the timeline’s time, cost and notes', () => {
  const steps: SidebarInput[] = [
    started,
    { type: 'step-started', step: 1, at: T0 },
    callStarted('c1', 1, T0 + 200),
    call('c1', 1, 0.002),
    planned(1),
    callStarted('w1', 1, T0 + 3000, 'worker'),
    call('w1', 1, 0.0005, 'worker'),
    { type: 'observation', step: 1, action: 'Execute Script', observation: 'ok', at: T0 + 12_200 },
    { type: 'user-note', time: iso(T0 + 13_000), step: 2, text: 'Try Ridge next.' },
    { type: 'step-started', step: 2, at: T0 + 13_100 },
    callStarted('c2', 2, T0 + 13_300),
    call('c2', 2, 0.003),
    planned(2, 'Edit Script (AI)'),
  ];

  test('a step starts at its first model call, lasts to its observation, costs what its calls cost', () => {
    const [first, second] = fold(steps).view.timeline;
    assert.deepEqual([first.startedAt, first.durationMs, first.usd, first.notes], [T0 + 200, 12_000, 0.0025, []]);
    assert.deepEqual([second.startedAt, second.durationMs, second.usd, second.done], [T0 + 13_300, undefined, 0.003, false]);
  });

  test('a note shows at the step whose prompt it went into', () => {
    assert.deepEqual(fold(steps).view.timeline[1].notes, ['Try Ridge next.']);
  });

  test('without model calls, the step start event gives the start', () => {
    const [entry] = fold([started, { type: 'step-started', step: 1, at: T0 }, planned(1)]).view.timeline;
    assert.equal(entry.startedAt, T0);
  });

  test('the log rebuilds the same timeline: starts, durations, costs and notes', () => {
    const log: LogRecord[] = [
      { type: 'run', time: iso(T0), runId: 'r1', goal: 'Lower the MAE.', workspace: '/w', models: {}, budgetUsd: 1 },
      ...(steps.filter((e) => e.type === 'call' || e.type === 'call-started' || e.type === 'user-note') as LogRecord[]).slice(0, 4),
      {
        type: 'step',
        step: 1,
        time: iso(T0 + 12_200),
        response: {
          reflection: 'r',
          researchPlan: 'p',
          factCheck: 'f',
          thought: 't',
          action: 'Execute Script',
          actionInput: { script_name: 'train.py' },
        },
        observation: 'ok',
        model: 'openai:gpt-4.1-mini',
      },
      ...(steps.filter((e) => e.type === 'call' || e.type === 'call-started' || e.type === 'user-note') as LogRecord[]).slice(4),
    ];
    const rebuilt = sidebarFromLog(log, { ...OPTIONS, live: true }).view;
    const live = fold(steps).view;
    assert.deepEqual(rebuilt.timeline.slice(0, 1), live.timeline.slice(0, 1));
    assert.deepEqual(rebuilt.cost, live.cost);
  });
});

describe('live and rebuilt from the log, with times', () => {
  test('the realistic run rebuilt from its log equals the live fold after every step and at the end', () => {
    const options = { ...FIXTURE_OPTIONS, replay: false };
    const events = ENDED_RUN.map((e) => (e.type === 'run-started' ? { ...e, replay: false } : e));
    let cuts = 0;
    events.forEach((event, index) => {
      if (event.type !== 'observation') return;
      cuts++;
      const upTo = events.slice(0, index + 1);
      assert.deepEqual(sidebarFromLog(logOf(upTo), { ...options, live: true }).view, foldView(upTo, options), `after step ${event.step}`);
    });
    assert.equal(cuts, 10);
    const ended = foldView(events, options);
    assert.deepEqual(sidebarFromLog(logOf(events), options).view, ended);
    assert.ok(ended.timeline.every((t) => t.startedAt !== undefined && t.durationMs !== undefined && t.usd > 0));
  });

  test('notes the user wrote are in both', () => {
    const at = MID_RUN.findIndex((e) => e.type === 'step-started' && e.step === 2);
    const note: SidebarInput = { type: 'user-note', time: '2026-11-30T10:01:30.000Z', step: 2, text: 'List the data folder too.' };
    const events = [...MID_RUN.slice(0, at), note, ...MID_RUN.slice(at)];
    const live = foldView(events);
    assert.deepEqual(live.timeline[1].notes, ['List the data folder too.']);
    const finished = (timeline: typeof live.timeline) => timeline.filter((t) => t.done);
    assert.deepEqual(finished(sidebarFromLog(logOf(events), { ...FIXTURE_OPTIONS, live: true }).view.timeline), finished(live.timeline));
  });

  test('an interrupted log shows nothing running', () => {
    const log: LogRecord[] = [
      { type: 'run', time: iso(T0), runId: 'r1', goal: 'g', workspace: '/w', models: {}, budgetUsd: 1 },
      callStarted('c1', 1, T0) as LogRecord,
    ];
    assert.equal(sidebarFromLog(log, { ...OPTIONS, live: true }).view.now?.kind, 'model');
    assert.equal(sidebarFromLog(log, OPTIONS).view.now, null);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunEvent } from '../../src/core/events';
import type { LogRecord } from '../../src/core/memory/researchLog';
import { initialSidebar, reduceSidebar, withMetricChoice, type SidebarInput, type SidebarOptions } from '../../src/core/view/sidebarState';
import { sidebarFromLog } from '../../src/core/view/sidebarLog';
import type { SidebarView } from '../../src/shared/viewModels';
import { axisFor } from '../../src/core/view/axis';
import { findEvidence, parseFactCheck, splitStatements, statusOf } from '../../src/core/view/factCheck';
import { metricFromOutput, summarizeObservation } from '../../src/core/view/viewText';
import { planParts } from '../../src/shared/planText';
import { fenced, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { readLog, runScripted, scoredTask, startFakeOpenAI, type FakeServer, type Reply, type ScriptedRun } from '../fixtures/runHarness';
import { parseLines } from '../../src/host/sidebar/runLog';
import { SidebarSession } from '../../src/host/sidebar/sidebarSession';
import {
  ENDED_RUN,
  endedView,
  experiment,
  experimentRun,
  logOf,
  MID_RUN,
  NO_TASK_RUN,
  noTaskView,
  OPTIONS as FIXTURE_OPTIONS,
} from './sidebarRenderFixture';

/**
 * The sidebar's state: folded live by the host's SidebarSession from a real run's events (against the fake OpenAI server, with
 * real training and scoring), and rebuilt from that run's log.jsonl — the two must agree.
 */

const OPTIONS: SidebarOptions = { maxSteps: 10, lifelinesTotal: 5 };

function plannerText(plan: string, facts: string, action: string, input: Record<string, unknown>): string {
  return [
    `Reflection: What the last observation says.`,
    `Research Plan and Status: ${plan}`,
    `Fact Check: ${facts}`,
    `Thought: Next, ${action}.`,
    `Action: ${action}`,
    `Action Input: ${JSON.stringify(input)}`,
  ].join('\n');
}

const PLAN = '1. Understand train.py. 2. Measure the baseline. 3. Try a linear model.';
const RIDGE = readFileSync(join(__dirname, '../fixtures/tasks/diabetes-tree/env/train.py'), 'utf8')
  .replace('from sklearn.tree import DecisionTreeRegressor', 'from sklearn.linear_model import Ridge')
  .replace('DecisionTreeRegressor(max_depth=2, random_state=0)', 'Ridge(alpha=0.1)');

const planner = (model: string, text: string, repeat?: number): Reply => ({
  match: PLANNER_MATCH,
  model,
  text,
  ...(repeat ? { repeat } : {}),
});
const GARBAGE = 'Thought: I should look at the files first.\nAction: List Files';

/** Six steps: a format escalation, a worker call, the baseline run, the expert lifeline with an edit, the new score, the answer. */
const REPLIES: Reply[] = [
  planner('cheap', GARBAGE, 3),
  planner(
    'mid',
    plannerText(`${PLAN} **Listing the files.**`, 'There are no facts yet; all of it is guessed.', 'List Files', { dir_path: '.' }),
  ),
  planner(
    'cheap',
    plannerText(
      `${PLAN} **train.py and data_description.txt exist.**`,
      '- train.py exists: confirmed by "train.py" in the listing.',
      'Understand File',
      { file_name: 'train.py', things_to_look_for: 'the model and the metric' },
    ),
  ),
  { match: 'expert at reading code', model: 'cheap', text: 'train.py fits a DecisionTreeRegressor(max_depth=2) and prints the test MAE.' },
  planner(
    'cheap',
    plannerText(
      `${PLAN} **A depth-2 tree; it prints the test MAE.**`,
      '- The model is a depth-2 tree (guessed from the summary).',
      'Execute Script',
      { script_name: 'train.py' },
    ),
  ),
  planner(
    'cheap',
    plannerText(
      `${PLAN} **Baseline test MAE 46.265.**`,
      '1. The baseline test MAE is 46.26 - confirmed by running train.py.\n2. A linear model will do better: guessed.',
      'Request Planning Expert Help',
      { problem: 'which model should replace the tree' },
    ),
  ),
  planner(
    'expert',
    plannerText(
      `${PLAN} **Baseline test MAE 46.265; trying Ridge.**`,
      '1. The baseline test MAE is 46.26 (confirmed by step 3).\n2. Ridge will beat the tree: guessed.',
      'Edit Script (AI)',
      { script_name: 'train.py', edit_instruction: 'Replace the tree with Ridge(alpha=0.1).', save_name: 'train.py' },
    ),
  ),
  { match: 'expert at editing code', model: 'cheap', text: fenced(RIDGE) },
  planner(
    'cheap',
    plannerText(`${PLAN} **Ridge is in place.**`, 'The edit is confirmed by the diff.', 'Execute Script', { script_name: 'train.py' }),
  ),
  planner(
    'cheap',
    plannerText(
      `${PLAN} **Ridge: test MAE 40.748, 11.9 % better than 46.265.**`,
      'The Ridge test MAE 40.75 is confirmed by the observation; the improvement over the baseline is not confirmed by the scorer yet.',
      'Final Answer',
      { final_answer: 'Ridge (alpha 0.1) lowers the test MAE from 46.26 to 40.75.' },
    ),
  ),
];

interface LiveFold {
  view: SidebarView;
  /** the live view right after each step's observation, with the log as it was then */
  cuts: { view: SidebarView; records: LogRecord[] }[];
}

let server: FakeServer;
let run: ScriptedRun;
let live: LiveFold;

/** The host's fold (SidebarSession: the run's events, model calls and experiments included). */
before(async () => {
  server = await startFakeOpenAI({ replies: REPLIES });
  const session = new SidebarSession({
    show: () => undefined,
    limits: () => ({ maxSteps: OPTIONS.maxSteps, lifelinesTotal: OPTIONS.lifelinesTotal }),
  });
  const cuts: LiveFold['cuts'] = [];
  let runDir = '';
  const onEvent = (event: RunEvent) => {
    if (event.type === 'run-started') runDir = event.runDir;
    session.handle(event);
    if (event.type === 'observation') cuts.push({ view: session.view, records: readLog(runDir) as LogRecord[] });
  };
  run = await runScripted({
    openai: server,
    task: scoredTask(),
    config: {
      models: { planner: ['openai:cheap', 'openai:mid'], worker: ['openai:cheap'], expert: 'openai:expert' },
      lifelines: 5,
      maxSteps: 10,
    },
    onEvent,
  });
  live = { view: session.view, cuts };
});

after(() => server?.close());

const records = () => run.log as LogRecord[];

/**
 * The view without what the log cannot know exactly: the live clock (a step's start and duration
 * are read from the log's record times, a few ms off the live events), and what only the live run
 * knows (the "Now" line, a pause, the expert's quote).
 */
function withoutClock(view: SidebarView): SidebarView {
  return {
    ...withoutLiveOnly(view),
    timeline: view.timeline.map(({ startedAt: _s, durationMs: _d, ...entry }) => entry),
  };
}

function withoutLiveOnly(view: SidebarView): SidebarView {
  return {
    ...view,
    now: null,
    run: view.run && { ...view.run, paused: false },
    cost: { ...view.cost, expertWorstCaseUsd: null },
  };
}

describe('a realistic run, live and rebuilt from its log', () => {
  test('the run ends with the final answer', () => {
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(run.summary.steps, 6);
  });

  test('rebuilding from log.jsonl gives the live view after every step and at the end', () => {
    assert.equal(live.cuts.length, 6);
    for (const cut of live.cuts)
      assert.deepEqual(withoutClock(sidebarFromLog(cut.records, { ...OPTIONS, live: true }).view), withoutClock(cut.view));
    assert.deepEqual(withoutClock(sidebarFromLog(records(), OPTIONS).view), withoutClock(live.view));
  });

  test('the log gives each step its start (its first model call), duration and cost', () => {
    const { timeline } = sidebarFromLog(records(), OPTIONS).view;
    const calls = records().filter((r): r is Extract<LogRecord, { type: 'call' }> => r.type === 'call');
    for (const entry of timeline) {
      const paid = calls.filter((c) => c.step === entry.step).reduce((a, c) => a + c.usd, 0);
      assert.ok(Math.abs(entry.usd - paid) < 1e-12, `step ${entry.step} cost`);
      assert.ok(entry.startedAt !== undefined && entry.durationMs !== undefined && entry.durationMs >= 0, `step ${entry.step} timing`);
    }
    assert.equal(timeline.at(-1)?.durationMs !== undefined, true);
  });

  test('run: goal, status and step', () => {
    const { run: view } = live.view;
    assert.ok(view);
    assert.equal(view.status, 'final_answer');
    assert.equal(view.step, 6);
    assert.equal(view.maxSteps, 10);
    assert.match(view.goal, /mean absolute error/);
  });

  test('plan: the latest version, its bold part marked fresh, every version kept', () => {
    const { plan } = live.view;
    assert.equal(plan.updatedAt, 6);
    assert.deepEqual(plan.parts, [
      { text: `${PLAN} `, fresh: false },
      { text: 'Ridge: test MAE 40.748, 11.9 % better than 46.265.', fresh: true },
    ]);
    assert.deepEqual(
      plan.history.map((h) => h.step),
      [1, 2, 3, 4, 5, 6],
    );
  });

  test('fact check: statements split, confirmed ones linked to the experiment of the step that measured the number', () => {
    const experimentAt = (step: number) =>
      records().flatMap((r) =>
        r.type === 'experiment' && r.experiment.kind === 'execute' && r.experiment.step === step ? [r.experiment.id] : [],
      )[0];
    assert.deepEqual(live.view.factCheck, [
      {
        statement: 'The Ridge test MAE 40.75 is confirmed by the observation',
        status: 'confirmed',
        evidence: { step: 5, kind: 'output', cite: '40.748', experiment: experimentAt(5), metric: 'test mae' },
      },
      { statement: 'the improvement over the baseline is not confirmed by the scorer yet.', status: 'guessed' },
    ]);
    const step4 = sidebarFromLog(live.cuts[3].records, { ...OPTIONS, live: true }).view.factCheck;
    assert.deepEqual(step4[0], {
      statement: 'The baseline test MAE is 46.26 (confirmed by step 3).',
      status: 'confirmed',
      evidence: { step: 3, kind: 'output', cite: '46.265', experiment: experimentAt(3), metric: 'test mae' },
    });
    assert.equal(step4[1].status, 'guessed');
  });

  test('cost: totals equal the run’s events and its ledger', () => {
    const { cost } = live.view;
    const spends = run.events.filter((e): e is Extract<RunEvent, { type: 'spend' }> => e.type === 'spend');
    assert.equal(cost.usd, spends.at(-1)?.usd);
    assert.equal(cost.usd, run.summary.cost.usd);
    assert.deepEqual(cost.byModel, run.summary.cost.byModel);
    assert.deepEqual(cost.byRole, run.summary.cost.byRole);
    const byModelSum = Object.values(cost.byModel).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(byModelSum - cost.usd) < 1e-12);
    assert.equal(cost.streaming, false);
    assert.equal(cost.budgetUsd, 1);
  });

  test('cost: escalations with reason and cost, lifelines left', () => {
    const { cost } = live.view;
    const events = run.events.filter((e): e is Extract<RunEvent, { type: 'escalation' }> => e.type === 'escalation');
    assert.deepEqual(
      cost.escalations.map(({ step: _step, ...rest }) => rest),
      events.map(({ type: _type, ...rest }) => rest),
    );
    assert.deepEqual(
      cost.escalations.map((e) => [e.step, e.from, e.to]),
      [[1, 'openai:cheap', 'openai:mid']],
    );
    assert.match(cost.escalations[0].reason, /format/);
    assert.ok(cost.escalations[0].addedUsd > 0);
    assert.equal(cost.lifelinesTotal, 5);
    assert.equal(cost.lifelinesLeft, 5 - run.summary.lifelinesUsed);
    assert.equal(cost.lifelinesLeft, 4);
  });

  test('metrics: baseline and final scores, and the MAE each Execute Script printed', () => {
    const { metrics } = live.view;
    assert.equal(metrics.metric, 'mae');
    assert.equal(metrics.higherIsBetter, false);
    assert.equal(metrics.baseline, run.summary.baseline);
    // each Execute Script's point comes from its experiment (from its output in runs recorded before experiments)
    const step = (source: string) => (source === 'observation' ? 'experiment' : source);
    assert.deepEqual(
      metrics.points.map((p) => [p.step, step(p.source), Math.round(p.score * 100) / 100]),
      [
        [0, 'baseline', 46.26],
        [3, 'experiment', 46.27],
        [5, 'experiment', 40.75],
        [6, 'final', 40.75],
      ],
    );
    assert.ok(metrics.axis && metrics.axis.low < 40.75 && metrics.axis.high > 46.27);
  });

  test('timeline: one entry per step with its input, observation and artifacts', () => {
    const { timeline } = live.view;
    assert.deepEqual(
      timeline.map((t) => [t.step, t.action, t.artifacts, t.done]),
      [
        [1, 'List Files', [], true],
        [2, 'Understand File', [], true],
        [3, 'Execute Script', ['output'], true],
        [4, 'Edit Script (AI)', ['diff'], true],
        [5, 'Execute Script', ['output'], true],
        [6, 'Final Answer', [], true],
      ],
    );
    assert.equal(timeline[2].input, 'script_name: train.py');
    assert.equal(timeline[2].observation, 'test MAE: 46.265');
    assert.equal(timeline[3].observation, 'The edited file is saved to train.py.\n+2 −2 lines');
    assert.equal(timeline[0].model, 'openai:mid');
    assert.equal(timeline[3].model, 'openai:expert');
  });

  test('a log read after a window reload without the run shows it as it ended', () => {
    const cut = live.cuts[2].records;
    assert.equal(sidebarFromLog(cut, OPTIONS).view.run?.status, 'interrupted');
    assert.equal(sidebarFromLog(cut, { ...OPTIONS, live: true }).view.run?.status, 'running');
  });
});

const TIME = '2026-01-01T00:00:00Z';

function callRecord(step: number, role: 'planner' | 'worker' | 'expert', model: string, usd: number): Extract<LogRecord, { type: 'call' }> {
  return {
    type: 'call',
    time: TIME,
    step,
    role,
    model,
    purpose: 'plan',
    attempt: 1,
    usage: { input: 10, cachedInput: 0, output: 5 },
    usd,
    priced: true,
    latencyMs: 3,
  };
}

describe('the reducer on single events', () => {
  const started = (runId = 'r1', resumedFromStep = 0): RunEvent => ({
    type: 'run-started',
    runId,
    runDir: '/runs/r1',
    goal: 'Lower the MAE.',
    budgetUsd: 2,
    resumedFromStep,
  });
  const fold = (inputs: SidebarInput[], state = initialSidebar(OPTIONS)) =>
    inputs.reduce((s, input) => reduceSidebar(s, input, OPTIONS), state);

  test('a streaming spend is an estimate until the call is booked', () => {
    const state = fold([started(), { type: 'step-started', step: 1 }, { type: 'spend', usd: 0.004, budgetUsd: 2, streaming: true }]);
    assert.deepEqual([state.view.cost.usd, state.view.cost.streaming], [0.004, true]);
    const booked = fold(
      [callRecord(1, 'planner', 'openai:cheap', 0.003), { type: 'spend', usd: 0.003, budgetUsd: 2, streaming: false }],
      state,
    );
    assert.deepEqual([booked.view.cost.usd, booked.view.cost.streaming, booked.view.cost.byRole], [0.003, false, { planner: 0.003 }]);
  });

  test('a replayed run says so', () => {
    assert.equal(fold([{ ...started(), replay: true } as RunEvent]).view.replay, true);
    assert.equal(fold([started()]).view.replay, false);
  });

  test('a new run starts empty; the same run resumed keeps what it showed', () => {
    const first = fold([
      started(),
      callRecord(1, 'worker', 'openai:cheap', 0.5),
      { type: 'run-ended', status: 'cancelled', message: 'the run was stopped' },
    ]);
    const resumed = fold([started('r1', 1)], first);
    assert.deepEqual([resumed.view.run?.status, resumed.view.run?.message, resumed.view.cost.usd], ['running', undefined, 0.5]);
    const other = fold([started('r2')], first);
    assert.deepEqual([other.view.cost.usd, other.view.cost.byModel], [0, {}]);
  });

  test('an escalation without a step is placed at the running step; lifelines follow the events', () => {
    const state = fold([
      started(),
      { type: 'step-started', step: 4 },
      { type: 'escalation', role: 'planner', from: 'a', to: 'b', reason: 'format', addedUsd: 0.01 },
      { type: 'lifeline', used: 2, left: 3 },
    ]);
    assert.equal(state.view.cost.escalations[0].step, 4);
    assert.equal(state.view.cost.lifelinesLeft, 3);
  });

  test('a resumed log continues the same run', () => {
    const time = '2026-01-01T00:00:00Z';
    const log: LogRecord[] = [
      { type: 'run', time, runId: 'r1', goal: 'g', workspace: '/w', models: {}, budgetUsd: 1 },
      {
        type: 'call',
        time,
        step: 1,
        role: 'planner',
        model: 'm',
        purpose: 'plan',
        attempt: 1,
        usage: { input: 1, cachedInput: 0, output: 1 },
        usd: 0.25,
        priced: true,
        latencyMs: 1,
      },
      { type: 'end', time, status: 'cancelled', message: 'the run was stopped' },
      { type: 'resume', time, fromStep: 1 },
      { type: 'lifeline', time, step: 1, used: 1, reason: 'requested: x' },
    ];
    const view = sidebarFromLog(log, { ...OPTIONS, live: true }).view;
    assert.deepEqual([view.run?.id, view.run?.status, view.cost.usd, view.cost.lifelinesLeft], ['r1', 'running', 0.25, 4]);
  });
});

describe('fact check parsing', () => {
  test('splits bullets, numbering and lines; drops "None"', () => {
    assert.deepEqual(splitStatements('1. A is 3.5 (confirmed)\n- B is guessed\n* C: guessed\n\nNone'), [
      'A is 3.5 (confirmed)',
      'B is guessed',
      'C: guessed',
    ]);
  });

  test('splits one line that gives several statuses, keeps one that gives one', () => {
    assert.deepEqual(splitStatements('The baseline is confirmed by running the script; the rest is guessed.'), [
      'The baseline is confirmed by running the script',
      'the rest is guessed.',
    ]);
    assert.deepEqual(splitStatements('The MAE is 46.26. Confirmed by step 3.'), ['The MAE is 46.26. Confirmed by step 3.']);
  });

  test('confirmed, verified and observed count; negations and guesses do not', () => {
    const cases: [string, 'confirmed' | 'guessed'][] = [
      ['The MAE is 46.26 (confirmed)', 'confirmed'],
      ['Verified by running train.py', 'confirmed'],
      ['Directly observed in the output', 'confirmed'],
      ['The MAE is 46.26 - not confirmed', 'guessed'],
      ['This has not been verified yet', 'guessed'],
      ['Unconfirmed: the data is clean', 'guessed'],
      ['Ridge is better: guessed', 'guessed'],
      ['Guessed: the observed trend continues', 'guessed'],
      ['The split is 70/30', 'guessed'],
    ];
    for (const [statement, status] of cases) assert.equal(statusOf(statement), status, statement);
  });

  test('evidence: the most recent step citing the number, at the cited precision', () => {
    const steps = [
      { step: 3, observation: 'The script has been executed. Here is the output:\ntest MAE: 46.265', artifacts: ['output' as const] },
      { step: 4, observation: 'a diff', artifacts: ['diff' as const] },
      {
        step: 5,
        observation: 'The script has been executed. Here is the output:\ntest MAE: 46.265\nagain',
        artifacts: ['output' as const],
      },
    ];
    assert.deepEqual(findEvidence('MAE is 46.26 (confirmed)', steps), { step: 5, kind: 'output', cite: '46.265', line: 2 });
    assert.deepEqual(findEvidence('MAE is 46.26 (confirmed)', steps.slice(0, 2)), { step: 3, kind: 'output', cite: '46.265', line: 2 });
    assert.equal(findEvidence('MAE is 46.3 in step 3 (confirmed)', steps)?.cite, '46.265');
    assert.equal(findEvidence('MAE is 47.1 (confirmed)', steps), undefined);
    assert.equal(findEvidence('confirmed in step 3', steps), undefined, 'step numbers are not citations');
    assert.deepEqual(findEvidence('the diff says "a diff" (confirmed)', steps), { step: 4, kind: 'diff', cite: 'a diff', line: 1 });
  });

  test('only confirmed statements get evidence', () => {
    const steps = [{ step: 1, observation: 'accuracy: 0.85', artifacts: [] }];
    assert.deepEqual(parseFactCheck('- accuracy 0.85 is confirmed\n- accuracy 0.85 will hold: guessed', steps), [
      { statement: 'accuracy 0.85 is confirmed', status: 'confirmed', evidence: { step: 1, kind: 'observation', cite: '0.85', line: 1 } },
      { statement: 'accuracy 0.85 will hold: guessed', status: 'guessed' },
    ]);
  });
});

describe('view text', () => {
  test('the metric a script prints: the last "<metric>: <number>", any case', () => {
    assert.equal(metricFromOutput('epoch 1 val_loss: 0.9\ntest MAE: 46.265\n', 'mae'), 46.265);
    assert.equal(metricFromOutput('Accuracy = 0.81\naccuracy: 0.84', 'accuracy'), 0.84);
    assert.equal(metricFromOutput('balanced_accuracy: 0.7', 'accuracy'), null, 'a longer name is another metric');
    assert.equal(metricFromOutput('nothing printed', 'mae'), null);
    assert.equal(metricFromOutput('rmse: 1e-3', 'rmse'), 0.001);
  });

  test('plan parts: bold is fresh; an unclosed ** stays text', () => {
    assert.deepEqual(planParts('1. A **done** 2. B **now**'), [
      { text: '1. A ', fresh: false },
      { text: 'done', fresh: true },
      { text: ' 2. B ', fresh: false },
      { text: 'now', fresh: true },
    ]);
    assert.deepEqual(planParts('a **b'), [{ text: 'a **b', fresh: false }]);
  });

  test('observation summaries: first and last lines, the last lines of a script, the size of an edit', () => {
    assert.equal(summarizeObservation('head\n1\n2\n3\nlast-1\nlast'), 'head\n…\nlast-1\nlast');
    assert.equal(
      summarizeObservation(
        'The script has been executed. Here is the output:\nepoch 1\nepoch 2\nepoch 3\ntest MAE: 40.748\n',
        'Execute Script',
      ),
      '…\nepoch 2\nepoch 3\ntest MAE: 40.748',
    );
    assert.equal(
      summarizeObservation(
        'The script has been executed, but it failed with exit code 1. Here is the output:\nTraceback\n  File "t.py", line 2\n  x()\nValueError: x',
        'Execute Script',
      ),
      '…\n  File "t.py", line 2\n  x()\nValueError: x',
    );
    assert.equal(
      summarizeObservation(
        'The script has been executed. Here is the output:\ntest MAE: 40.748\nRecorded as experiment #4 step 5 train.py: ok 2.1 s | test mae 40.748',
        'Execute Script',
      ),
      'test MAE: 40.748',
      'the experiment line is left to the chart',
    );
    const edit =
      'The edited file is saved to train.py. Here is the diff, please check if the edit is correct and desirable:\n\n--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n-a\n+b\n+c';
    assert.equal(summarizeObservation(edit, 'Edit Script (AI)'), 'The edited file is saved to train.py.\n+2 −1 lines');
  });
});

describe('reading a run log', () => {
  test('JSONL records; a damaged or half-written line is skipped', () => {
    assert.deepEqual(parseLines('{"type":"warning","message":"ä"}\n\nnot json\n{"type":"end","sta'), [{ type: 'warning', message: 'ä' }]);
  });
});

describe('experiments, the chart and the verdict', () => {
  const foldInputs = (inputs: readonly SidebarInput[], from = initialSidebar(FIXTURE_OPTIONS)) =>
    inputs.reduce((s, input) => reduceSidebar(s, input, FIXTURE_OPTIONS), from);
  /** the ticks of an axis around 0.97, ±1 %: every 0.005, written to the third decimal */
  const TICKS_0_97 = ['0.965', '0.970', '0.975', '0.980'].map((label) => ({ value: Number(label), label }));
  const GB_ERROR =
    "InvalidParameterError: The 'learning_rate' parameter of GradientBoostingRegressor must be a float in the range (0.0, inf). Got 0 instead.";

  test('an ended run: its verdict and the numbers no experiment measured', () => {
    const view = endedView();
    assert.equal(view.run?.status, 'final_answer');
    assert.deepEqual(view.verdict, {
      verdict: 'not improved',
      metric: 'mae',
      higherIsBetter: false,
      baseline: 46.264763,
      final: 41.902,
      change: (46.264763 - 41.902) / 46.264763,
      rule: "the final score is more than 10 % better than the baseline (MLAgentBench's rule)",
      reason: 'measured: baseline 46.264763, final 41.902',
    });
    assert.deepEqual(view.unverifiedClaims, [
      {
        text: '38.2',
        value: 38.2,
        where: 'final answer',
        context: 'Gradient boosting reaches a test MAE of 38.2 on the test split, 17 % better',
      },
    ]);
    const resumed = foldInputs(
      [{ type: 'run-started', runId: 'replay-1795396199095', runDir: '/runs/replay', goal: 'g', budgetUsd: 0.05, resumedFromStep: 10 }],
      foldInputs(ENDED_RUN),
    ).view;
    assert.deepEqual(
      [resumed.verdict, resumed.unverifiedClaims, resumed.run?.status, resumed.timeline.length],
      [null, [], 'running', 10],
      'a resumed run keeps its steps and is judged again',
    );
  });

  test('the task metric: a point per experiment at its step, the scorer’s baseline, the final scoring at the last step', () => {
    const { metrics } = endedView();
    assert.deepEqual(metrics.points, [
      { step: 0, score: 46.264763, source: 'baseline', experiment: 2 },
      { step: 3, score: 46.265, source: 'experiment', experiment: 3 },
      { step: 5, score: 40.748, source: 'experiment', experiment: 4 },
      { step: 9, score: 41.902, source: 'experiment', experiment: 6 },
      { step: 10, score: 41.902, source: 'final', experiment: 7 },
    ]);
    assert.deepEqual(
      [metrics.metric, metrics.higherIsBetter, metrics.baseline, metrics.isTaskMetric, metrics.choices],
      ['mae', false, 46.264763, true, []],
    );
  });

  test('without a task metric: the most relevant metric the scripts print, the running script’s value provisional', () => {
    assert.deepEqual(noTaskView().metrics, {
      metric: 'test accuracy',
      higherIsBetter: true,
      baseline: 0.9719,
      points: [
        { step: 0, score: 0.9719, source: 'baseline', experiment: 1 },
        { step: 1, score: 0.9722, source: 'experiment', experiment: 2 },
        { step: 2, score: 0.9731, source: 'running', experiment: 3 },
      ],
      axis: {
        low: 0.962769,
        high: 0.982231,
        ticks: TICKS_0_97,
      },
      choices: ['test accuracy', 'val accuracy', 'loss'],
      isTaskMetric: false,
    });
  });

  test('the y-axis keeps near-equal values near each other, on their real scale', () => {
    const axis = axisFor([0.9719, 0.9722]);
    assert.deepEqual(axis, {
      low: 0.962328,
      high: 0.981772,
      ticks: TICKS_0_97,
    });
    assert.ok((0.9722 - 0.9719) / (axis!.high - axis!.low) < 0.02, 'a 0.0003 difference takes under 2 % of the height');
    assert.deepEqual(axisFor([46.265, 40.748]), {
      low: 40.1963,
      high: 46.8167,
      ticks: [42, 44, 46].map((value) => ({ value, label: String(value) })),
    });
    assert.equal(axisFor([0.001, 0.9])?.low, 0, 'positive values: the axis does not go below 0');
    assert.equal(axisFor([]), null);
  });

  test('live metric lines move the provisional point; the finished experiment replaces it', () => {
    const running = foldInputs(NO_TASK_RUN);
    const later = reduceSidebar(running, { type: 'metric', experiment: 3, step: 2, name: 'test accuracy', value: 0.9735 }, FIXTURE_OPTIONS);
    assert.deepEqual(later.view.metrics.points.at(-1), { step: 2, score: 0.9735, source: 'running', experiment: 3 });
    const done = reduceSidebar(
      later,
      { type: 'experiment', time: TIME, experiment: experiment(3, 2, 'execute', { 'test accuracy': 0.9733, loss: 0.07 }) },
      FIXTURE_OPTIONS,
    );
    assert.deepEqual(done.view.metrics.points.at(-1), { step: 2, score: 0.9733, source: 'experiment', experiment: 3 });
    assert.equal(done.running, null);
    assert.ok(!done.view.metrics.points.some((p) => p.source === 'running'));
  });

  test('the user chooses which printed metric to plot; a metric the view does not offer is ignored', () => {
    const state = foldInputs(NO_TASK_RUN);
    const loss = withMetricChoice(state, 'loss', FIXTURE_OPTIONS).view.metrics;
    assert.deepEqual(
      [loss.metric, loss.higherIsBetter, loss.baseline, loss.points.map((p) => p.score)],
      ['loss', false, 0.081, [0.081, 0.079, 0.07]],
    );
    assert.equal(withMetricChoice(state, 'epoch', FIXTURE_OPTIONS).view.metrics.metric, 'test accuracy');
  });

  test('a failed or timed-out Execute Script is marked with its error line', () => {
    const timeline = endedView().timeline;
    assert.deepEqual(timeline.find((t) => t.step === 7)?.failure, { outcome: 'failed', error: GB_ERROR });
    assert.equal(timeline.filter((t) => t.failure).length, 1, 'the steps that ran fine are not marked');
    const started: SidebarInput = { type: 'run-started', runId: 'r', runDir: '/r', goal: 'g', budgetUsd: 1, resumedFromStep: 0 };
    const ran = (outcome: 'failed' | 'timeout', observation: string) =>
      foldInputs([
        started,
        ...experimentRun(experiment(1, 1, 'execute', {}, { outcome, exitCode: null }), []),
        { type: 'observation', step: 1, action: 'Execute Script', observation },
      ]).view.timeline[0].failure;
    const traceback =
      'The script has been executed, but it failed with exit code 1. Here is the output:\nTraceback (most recent call last):\n  File "train.py", line 3\nValueError: could not convert string to float: \'abc\'\n';
    assert.deepEqual(ran('failed', traceback), { outcome: 'failed', error: "ValueError: could not convert string to float: 'abc'" });
    assert.deepEqual(ran('timeout', 'The script was stopped after 600 s.'), { outcome: 'timeout', error: 'The script timed out.' });
  });

  test('model calls arrive as events and add up to the cost by model and role', () => {
    const { cost } = endedView();
    const calls = ENDED_RUN.filter((e): e is Extract<SidebarInput, { type: 'call' }> => e.type === 'call');
    const sum = (list: typeof calls) => list.reduce((a, c) => a + c.usd, 0);
    assert.ok(Math.abs(cost.usd - sum(calls)) < 1e-12);
    assert.ok(Math.abs(cost.byRole.worker - sum(calls.filter((c) => c.role === 'worker'))) < 1e-12);
    assert.ok(
      Math.abs(cost.byModel['gemini:gemini-2.5-flash-lite'] - sum(calls.filter((c) => c.model === 'gemini:gemini-2.5-flash-lite'))) < 1e-12,
    );
    assert.equal(cost.streaming, false);
  });

  test('fact check: confirmed numbers link to the experiment that measured them; one nothing measured is unconfirmed', () => {
    assert.deepEqual(endedView().factCheck, [
      {
        statement: 'Ridge gave a test MAE of 40.75 (confirmed).',
        status: 'confirmed',
        evidence: { step: 5, kind: 'output', cite: '40.748', experiment: 4, metric: 'test MAE' },
      },
      {
        statement: 'Gradient boosting reaches a test MAE of 38.2 on the test split (confirmed).',
        status: 'unconfirmed',
        note: 'claimed confirmed, no measurement found',
      },
      { statement: 'Boosting beats the tree: guessed.', status: 'guessed' },
    ]);
    const measured = [experiment(1, 0, 'baseline', { 'test MAE': 46.265 }), experiment(2, 5, 'execute', { 'test MAE': 40.748 })];
    assert.deepEqual(parseFactCheck('Ridge is 11.9 % better than the tree (confirmed)', [], measured)[0].evidence, {
      step: 5,
      kind: 'output',
      cite: '40.748',
      experiment: 2,
      metric: 'test MAE',
    });
    assert.equal(parseFactCheck('The edit is confirmed by the diff.', [], measured)[0].status, 'confirmed', 'no number to check');
  });

  test('restoring from log.jsonl gives exactly the live view, after every step and at the end', async () => {
    const live = new SidebarSession({ show: () => undefined, limits: () => ({ maxSteps: 30, lifelinesTotal: 5 }) });
    const cuts: { view: SidebarView; upTo: number }[] = [];
    ENDED_RUN.forEach((event, index) => {
      live.handle(event as RunEvent);
      if (event.type === 'observation') cuts.push({ view: live.view, upTo: index + 1 });
    });
    const options = { maxSteps: 30, lifelinesTotal: 5, replay: false };
    for (const cut of cuts)
      assert.deepEqual(sidebarFromLog(logOf(ENDED_RUN.slice(0, cut.upTo)), { ...options, live: true }).view, cut.view);
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-restore-'));
    writeFileSync(
      join(dir, 'log.jsonl'),
      logOf(ENDED_RUN)
        .map((r) => JSON.stringify(r) + '\n')
        .join(''),
    );
    const restored = new SidebarSession({ show: () => undefined, limits: () => ({ maxSteps: 30, lifelinesTotal: 5 }) });
    await restored.restore(dir);
    assert.deepEqual(restored.view, live.view);
    assert.equal(restored.view.verdict?.verdict, 'not improved');
    assert.equal(cuts.length, 10);
    assert.ok(MID_RUN.length < ENDED_RUN.length);
  });
});

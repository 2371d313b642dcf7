import type { RunEvent } from '../../src/core/events';
import type { ExperimentKind, ExperimentRecord } from '../../src/core/experiments/types';
import type { LogRecord } from '../../src/core/memory/researchLog';
import type { StepRecord } from '../../src/core/memory/types';
import { initialSidebar, reduceSidebar, type SidebarInput, type SidebarOptions } from '../../src/core/view/sidebarState';
import type { DecisionView, SidebarView } from '../../src/shared/viewModels';

/**
 * Realistic runs as the core emits them (model calls, experiments with their live metric lines,
 * the verdict), folded into sidebar views: what the render test shows and the state test restores.
 */

export const OPTIONS: SidebarOptions = { maxSteps: 30, lifelinesTotal: 5, higherIsBetter: false, replay: true };
const TIME = '2026-11-30T10:00:00.000Z';
const PLAN =
  '1. Understand train.py and the data.\n2. Measure the baseline test MAE.\n3. Try a linear model (Ridge) and gradient boosting.';
const TRAIN_OUTPUT =
  'The script has been executed. Here is the output:\nLoading data…\nfold 1/3 done\nfold 2/3 done\nfold 3/3 done\ntest MAE: ';

function planned(
  step: number,
  model: string,
  plan: string,
  factCheck: string,
  action: string,
  actionInput: Record<string, unknown>,
): RunEvent {
  return {
    type: 'planned',
    step,
    model,
    reflection: 'What the observation says.',
    researchPlan: plan,
    factCheck,
    thought: 'Next.',
    action,
    actionInput,
  };
}

function call(step: number, role: 'planner' | 'worker' | 'expert', model: string, usd: number): SidebarInput {
  return {
    type: 'call',
    time: TIME,
    step,
    role,
    model,
    purpose: role === 'worker' ? 'understand' : 'plan',
    attempt: 1,
    usage: { input: 1200, cachedInput: 0, output: 300 },
    usd,
    priced: true,
    latencyMs: 900,
  };
}

/** An experiment as the core records it. */
export function experiment(
  id: number,
  step: number,
  kind: ExperimentKind,
  metrics: Record<string, number>,
  extra: Partial<ExperimentRecord> = {},
): ExperimentRecord {
  const script = extra.script ?? 'train.py';
  return {
    id,
    step,
    kind,
    script,
    command: `python ${script}`,
    interpreter: '/usr/bin/python3',
    startedAt: TIME,
    durationMs: 2100,
    exitCode: 0,
    outcome: 'ok',
    metrics,
    output: `outputs/experiment-${id}.log`,
    ...extra,
  };
}

/** A script run as its events arrive: started, a metric line per printed value, the record. */
export function experimentRun(record: ExperimentRecord, printed: number[], metric = Object.keys(record.metrics)[0]): SidebarInput[] {
  const started: SidebarInput = {
    type: 'experiment-started',
    id: record.id,
    step: record.step,
    kind: record.kind,
    script: record.script,
    command: record.command,
    startedAt: Date.parse(record.startedAt),
    timeoutSec: 600,
  };
  const lines = printed.map((value): SidebarInput => ({ type: 'metric', experiment: record.id, step: record.step, name: metric, value }));
  return [started, ...lines, { type: 'experiment', time: TIME, experiment: record }];
}

const UNTIMED_EVENTS: SidebarInput[] = [
  {
    type: 'run-started',
    runId: 'replay-1795396199095',
    runDir: '/runs/replay',
    goal: 'Improve train.py, which predicts diabetes disease progression: lower the mean absolute error on the test split by more than 10 %. Keep the split.',
    budgetUsd: 0.05,
    resumedFromStep: 0,
  },
  ...experimentRun(experiment(1, 0, 'baseline', { 'test MAE': 46.265 }), [46.265]),
  ...experimentRun(
    experiment(2, 0, 'score', { mae: 46.264763 }, { label: 'baseline', taskMetric: 'mae', higherIsBetter: false, script: 'eval.py' }),
    [],
  ),
  { type: 'score', label: 'baseline', score: 46.264763, metric: 'mae', higherIsBetter: false },
  { type: 'step-started', step: 1 },
  call(1, 'planner', 'gemini:gemini-2.5-flash', 0.0021),
  call(1, 'planner', 'gemini:gemini-2.5-flash', 0.0023),
  call(1, 'planner', 'gemini:gemini-2.5-flash', 0.0022),
  call(1, 'planner', 'openai:gpt-4.1-mini', 0.0048),
  {
    type: 'escalation',
    role: 'planner',
    from: 'gemini:gemini-2.5-flash',
    to: 'openai:gpt-4.1-mini',
    reason: 'format: the reply has no Action Input entry (3 attempts)',
    addedUsd: 0.0048,
  },
  planned(1, 'openai:gpt-4.1-mini', `${PLAN} **Listing the files.**`, 'There are no facts yet; everything is guessed.', 'List Files', {
    dir_path: '.',
  }),
  { type: 'observation', step: 1, action: 'List Files', observation: 'data_description.txt\ntrain.py\nbackup/' },
  { type: 'step-started', step: 2 },
  call(2, 'planner', 'gemini:gemini-2.5-flash', 0.0026),
  call(2, 'worker', 'gemini:gemini-2.5-flash-lite', 0.0009),
  planned(
    2,
    'gemini:gemini-2.5-flash',
    `${PLAN}\n**train.py trains a depth-2 DecisionTreeRegressor.**`,
    '- train.py exists: confirmed by "train.py" in the listing.',
    'Understand File',
    { file_name: 'train.py', things_to_look_for: 'which model is trained, its settings, how the test MAE is computed' },
  ),
  {
    type: 'observation',
    step: 2,
    action: 'Understand File',
    observation:
      'train.py fits a DecisionTreeRegressor(max_depth=2, random_state=0) (line 10) on a 70/30 split (line 9) and prints the test MAE (line 13).',
  },
  { type: 'step-started', step: 3 },
  call(3, 'planner', 'gemini:gemini-2.5-flash', 0.0029),
  planned(
    3,
    'gemini:gemini-2.5-flash',
    `${PLAN}\n**Running the baseline.**`,
    '- The model is a depth-2 tree: confirmed by the summary of train.py.',
    'Execute Script',
    { script_name: 'train.py' },
  ),
  ...experimentRun(experiment(3, 3, 'execute', { 'test MAE': 46.265 }), [46.265]),
  {
    type: 'observation',
    step: 3,
    action: 'Execute Script',
    observation: `${TRAIN_OUTPUT}46.265\n`,
    artifacts: { output: 'outputs/step-3-train.py.log' },
  },
  { type: 'step-started', step: 4 },
  call(4, 'planner', 'gemini:gemini-2.5-flash', 0.0031),
  { type: 'lifeline', used: 1, left: 4 },
  call(4, 'expert', 'openai:gpt-4.1', 0.0118),
  call(4, 'worker', 'gemini:gemini-2.5-flash-lite', 0.0012),
  planned(
    4,
    'openai:gpt-4.1',
    `${PLAN}\n2. Baseline test MAE 46.265 (done).\n**Replacing the tree with Ridge(alpha=0.1).**`,
    '1. The baseline test MAE is 46.26 (confirmed by running train.py).\n2. Ridge will beat the tree: guessed.',
    'Edit Script (AI)',
    {
      script_name: 'train.py',
      edit_instruction: 'Replace the depth-2 decision tree with Ridge regression (alpha 0.1); keep everything else.',
      save_name: 'train.py',
    },
  ),
  {
    type: 'observation',
    step: 4,
    action: 'Edit Script (AI)',
    observation:
      'The edited file is saved to train.py. Here is the diff, please check if the edit is correct and desirable:\n\n--- a/train.py\n+++ b/train.py\n@@ -4,7 +4,7 @@\n-from sklearn.tree import DecisionTreeRegressor\n+from sklearn.linear_model import Ridge\n@@ -10 +10 @@\n-model = DecisionTreeRegressor(max_depth=2, random_state=0)\n+model = Ridge(alpha=0.1)',
    artifacts: { diff: 'diffs/step-4.diff' },
  },
  { type: 'step-started', step: 5 },
  call(5, 'planner', 'gemini:gemini-2.5-flash', 0.0033),
  planned(
    5,
    'gemini:gemini-2.5-flash',
    `${PLAN}\n2. Baseline test MAE 46.265 (done).\n**Ridge is in place; measuring it.**`,
    'The edit is confirmed by the diff.',
    'Execute Script',
    { script_name: 'train.py' },
  ),
  ...experimentRun(experiment(4, 5, 'execute', { 'test MAE': 40.748 }), [40.748]),
  {
    type: 'observation',
    step: 5,
    action: 'Execute Script',
    observation: `${TRAIN_OUTPUT}40.748\n`,
    artifacts: { output: 'outputs/step-5-train.py.log' },
  },
  { type: 'step-started', step: 6 },
  call(6, 'planner', 'gemini:gemini-2.5-flash', 0.0034),
  call(6, 'worker', 'gemini:gemini-2.5-flash-lite', 0.0011),
  planned(
    6,
    'gemini:gemini-2.5-flash',
    `${PLAN}\n2. Baseline test MAE 46.265 (done).\n3. **Ridge: test MAE 40.748 (11.9 % better).** **Next: gradient boosting.**`,
    '1. Ridge gives a test MAE of 40.75: confirmed by the output of step 5.\n2. The baseline was 46.26 (confirmed).\n3. Gradient boosting will do better still: guessed.',
    'Edit Script (AI)',
    {
      script_name: 'train.py',
      edit_instruction: 'Add a GradientBoostingRegressor(n_estimators=300, learning_rate=0.05) and keep the better model.',
      save_name: 'train.py',
    },
  ),
];

const GB_DIFF =
  'The edited file is saved to train.py. Here is the diff, please check if the edit is correct and desirable:\n\n--- a/train.py\n+++ b/train.py\n@@ -4 +4 @@\n-from sklearn.linear_model import Ridge\n+from sklearn.ensemble import GradientBoostingRegressor\n@@ -10 +10 @@\n-model = Ridge(alpha=0.1)\n+model = GradientBoostingRegressor(n_estimators=300, learning_rate=0)';
const TRACEBACK =
  'The script has been executed, but it failed with exit code 1. Here is the output:\nTraceback (most recent call last):\n  File "train.py", line 11, in <module>\n    model.fit(X_train, y_train)\nsklearn.utils._param_validation.InvalidParameterError: The \'learning_rate\' parameter of GradientBoostingRegressor must be a float in the range (0.0, inf). Got 0 instead.';
const CLAIM = 'Gradient boosting reaches a test MAE of 38.2 on the test split';

/** The rest of the run: an edit, a script that fails, a fix, a score, the final answer, the final scoring, the verdict. */
const UNTIMED_ENDING: SidebarInput[] = [
  { type: 'observation', step: 6, action: 'Edit Script (AI)', observation: GB_DIFF, artifacts: { diff: 'diffs/step-6.diff' } },
  { type: 'step-started', step: 7 },
  call(7, 'planner', 'gemini:gemini-2.5-flash-lite', 0.0008),
  planned(
    7,
    'gemini:gemini-2.5-flash-lite',
    `${PLAN}\n**Measuring gradient boosting.**`,
    'The edit is confirmed by the diff.',
    'Execute Script',
    { script_name: 'train.py' },
  ),
  ...experimentRun(
    experiment(
      5,
      7,
      'execute',
      {},
      {
        outcome: 'failed',
        exitCode: 1,
        error:
          "InvalidParameterError: The 'learning_rate' parameter of GradientBoostingRegressor must be a float in the range (0.0, inf). Got 0 instead.",
      },
    ),
    [],
  ),
  { type: 'observation', step: 7, action: 'Execute Script', observation: TRACEBACK, artifacts: { output: 'outputs/step-7-train.py.log' } },
  { type: 'step-started', step: 8 },
  call(8, 'planner', 'gemini:gemini-2.5-flash-lite', 0.0008),
  call(8, 'worker', 'gemini:gemini-2.5-flash-lite', 0.0006),
  planned(
    8,
    'gemini:gemini-2.5-flash-lite',
    `${PLAN}\n**Fixing the learning rate (0 → 0.05).**`,
    '- The script failed: confirmed by the traceback of step 7.',
    'Edit Script (AI)',
    { script_name: 'train.py', edit_instruction: 'Set learning_rate=0.05.', save_name: 'train.py' },
  ),
  {
    type: 'observation',
    step: 8,
    action: 'Edit Script (AI)',
    observation:
      'The edited file is saved to train.py. Here is the diff, please check if the edit is correct and desirable:\n\n@@ -10 +10 @@\n-learning_rate=0)\n+learning_rate=0.05)',
    artifacts: { diff: 'diffs/step-8.diff' },
  },
  { type: 'step-started', step: 9 },
  call(9, 'planner', 'gemini:gemini-2.5-flash-lite', 0.0008),
  planned(
    9,
    'gemini:gemini-2.5-flash-lite',
    `${PLAN}\n**Measuring gradient boosting again.**`,
    'The fix is confirmed by the diff.',
    'Execute Script',
    { script_name: 'train.py' },
  ),
  ...experimentRun(experiment(6, 9, 'execute', { 'test MAE': 41.902 }), [43.1, 41.902]),
  {
    type: 'observation',
    step: 9,
    action: 'Execute Script',
    observation: `${TRAIN_OUTPUT}41.902\n`,
    artifacts: { output: 'outputs/step-9-train.py.log' },
  },
  { type: 'step-started', step: 10 },
  call(10, 'planner', 'gemini:gemini-2.5-flash-lite', 0.0009),
  planned(
    10,
    'gemini:gemini-2.5-flash-lite',
    `${PLAN}\n**Done: gradient boosting kept.**`,
    `1. Ridge gave a test MAE of 40.75 (confirmed).\n2. ${CLAIM} (confirmed).\n3. Boosting beats the tree: guessed.`,
    'Final Answer',
    { final_answer: `${CLAIM}, 17 % better than the tree.` },
  ),
  { type: 'observation', step: 10, action: 'Final Answer', observation: 'The final answer is recorded.' },
  ...experimentRun(
    experiment(7, 31, 'score', { mae: 41.902 }, { label: 'final', taskMetric: 'mae', higherIsBetter: false, script: 'eval.py' }),
    [],
  ),
  { type: 'score', label: 'final', score: 41.902, metric: 'mae', higherIsBetter: false },
  {
    type: 'verdict',
    time: TIME,
    verdict: {
      verdict: 'not improved',
      metric: 'mae',
      higherIsBetter: false,
      baseline: 46.264763,
      final: 41.902,
      change: (46.264763 - 41.902) / 46.264763,
      rule: "the final score is more than 10 % better than the baseline (MLAgentBench's rule)",
      reason: 'measured: baseline 46.264763, final 41.902',
    },
    unverifiedClaims: [
      {
        text: '38.2',
        value: 38.2,
        where: 'final answer',
        context: 'Gradient boosting reaches a test MAE of 38.2 on the test split, 17 % better',
      },
    ],
  },
  { type: 'run-ended', status: 'final_answer' },
];

const STEP_MS = 60_000;

/**
 * The events with the times a live run gives them: each step starts a minute after the last, each
 * model call is announced by its `call-started` record a second apart, the observation comes 20 s
 * (plus a second per step) after the start.
 */
export function timed(events: readonly SidebarInput[]): SidebarInput[] {
  const start = (step: number) => Date.parse(TIME) + step * STEP_MS;
  const out: SidebarInput[] = [];
  let calls = 0;
  const inStep: Record<number, number> = {};
  for (const e of events) {
    if (e.type === 'step-started') out.push({ ...e, at: start(e.step) });
    else if (e.type === 'observation') out.push({ ...e, at: start(e.step) + 20_000 + e.step * 1000 });
    else if (e.type === 'call') {
      const callId = `call-${++calls}`;
      inStep[e.step] = (inStep[e.step] ?? 0) + 1;
      const time = new Date(start(e.step) + inStep[e.step] * 1000).toISOString();
      const { role, model, purpose, attempt, step } = e;
      out.push({
        type: 'call-started',
        time,
        callId,
        step,
        role,
        model,
        purpose,
        attempt,
        promptTokens: 1200,
        maxOutputTokens: 2000,
        worstCaseUsd: e.usd * 3,
        priced: true,
      });
      out.push({ ...e, callId });
    } else out.push(e);
  }
  return out;
}

const EVENTS = timed(UNTIMED_EVENTS);
const ENDING = timed(UNTIMED_ENDING);

/** The middle of the run: step 6 is being planned, a reply is streaming. */
export const MID_RUN: SidebarInput[] = [...EVENTS, { type: 'spend', usd: 0.0437, budgetUsd: 0.05, streaming: true }];
/** The whole run, to its verdict. */
export const ENDED_RUN: SidebarInput[] = [...EVENTS, ...ENDING];

/** A workspace without a task file: train.py prints its test accuracy, no scorer; step 4's script is running. */
export const NO_TASK_RUN: SidebarInput[] = timed([
  {
    type: 'run-started',
    runId: 'run-mnist',
    runDir: '/runs/run-mnist',
    goal: 'Raise the test accuracy of train.py.',
    budgetUsd: 0.5,
    resumedFromStep: 0,
  },
  ...experimentRun(
    experiment(1, 0, 'baseline', { loss: 0.081, 'val accuracy': 0.9701, 'test accuracy': 0.9719, epoch: 3 }),
    [0.9719],
    'test accuracy',
  ),
  { type: 'step-started', step: 1 },
  call(1, 'planner', 'openai:gpt-4.1-mini', 0.002),
  planned(1, 'openai:gpt-4.1-mini', '1. Train longer. **Running train.py.**', 'Nothing yet.', 'Execute Script', {
    script_name: 'train.py',
  }),
  ...experimentRun(
    experiment(2, 1, 'execute', { loss: 0.079, 'val accuracy': 0.9704, 'test accuracy': 0.9722, epoch: 3 }),
    [0.9722],
    'test accuracy',
  ),
  {
    type: 'observation',
    step: 1,
    action: 'Execute Script',
    observation: 'The script has been executed. Here is the output:\nepoch 3 loss: 0.079\nval accuracy: 0.9704\ntest accuracy: 0.9722',
    artifacts: { output: 'outputs/step-1-train.py.log' },
  },
  { type: 'step-started', step: 2 },
  call(2, 'planner', 'openai:gpt-4.1-mini', 0.002),
  planned(
    2,
    'openai:gpt-4.1-mini',
    '1. Train longer. **Running train.py for 6 epochs.**',
    '- test accuracy 0.9722: confirmed by step 1.',
    'Execute Script',
    { script_name: 'train.py' },
  ),
  ...experimentRun(experiment(3, 2, 'execute', {}), []).slice(0, 1),
  { type: 'metric', experiment: 3, step: 2, name: 'loss', value: 0.07 },
  { type: 'metric', experiment: 3, step: 2, name: 'test accuracy', value: 0.9728 },
  { type: 'metric', experiment: 3, step: 2, name: 'test accuracy', value: 0.9731 },
]);

export function foldView(events: readonly SidebarInput[], options: SidebarOptions = OPTIONS): SidebarView {
  return events.reduce((s, input) => reduceSidebar(s, input, options), initialSidebar(options)).view;
}

export function endedView(): SidebarView {
  return foldView(ENDED_RUN);
}

export function noTaskView(): SidebarView {
  return foldView(NO_TASK_RUN, { maxSteps: 10, lifelinesTotal: 3 });
}

/**
 * The log.jsonl a run writes while it emits `events`: records that are events (call, warning,
 * experiment, verdict) as they are, a step record per finished step, the run, score and end records.
 */
export function logOf(events: readonly SidebarInput[]): LogRecord[] {
  const records: LogRecord[] = [];
  let planned: Extract<RunEvent, { type: 'planned' }> | undefined;
  for (const e of events) {
    if (
      e.type === 'call' ||
      e.type === 'call-started' ||
      e.type === 'warning' ||
      e.type === 'experiment' ||
      e.type === 'verdict' ||
      e.type === 'user-note'
    )
      records.push(e);
    else if (e.type === 'run-started')
      records.push({ type: 'run', time: TIME, runId: e.runId, goal: e.goal, workspace: '/w', models: {}, budgetUsd: e.budgetUsd });
    else if (e.type === 'planned') planned = e;
    else if (e.type === 'observation' && planned) records.push(stepRecord(planned, e));
    else if (e.type === 'score')
      records.push({
        type: 'score',
        time: TIME,
        label: e.label,
        score: e.score,
        metric: e.metric,
        higherIsBetter: e.higherIsBetter,
        detail: '',
      });
    else if (e.type === 'escalation')
      records.push({
        type: 'escalation',
        time: TIME,
        step: planned ? planned.step + 1 : 1,
        role: e.role,
        from: e.from,
        to: e.to,
        reason: e.reason,
        addedUsd: e.addedUsd,
      });
    else if (e.type === 'lifeline')
      records.push({ type: 'lifeline', time: TIME, step: planned ? planned.step + 1 : 1, used: e.used, reason: 'requested' });
    else if (e.type === 'run-ended')
      records.push({ type: 'end', time: TIME, status: e.status, ...(e.message ? { message: e.message } : {}) });
  }
  return records;
}

function stepRecord(planned: Extract<RunEvent, { type: 'planned' }>, observed: Extract<SidebarInput, { type: 'observation' }>): StepRecord {
  const { type: _type, step, model, ...response } = planned;
  return {
    type: 'step',
    step,
    time: observed.at === undefined ? TIME : new Date(observed.at).toISOString(),
    response,
    observation: observed.observation,
    model,
    ...(observed.artifacts ? { artifacts: observed.artifacts } : {}),
  };
}

/** Step 6 planned an edit of train.py: it waits for the user's review. */
export function realisticView(): SidebarView {
  return { ...foldView(MID_RUN), decision: EDIT_DECISION };
}

export const EDIT_DECISION: DecisionView = {
  kind: 'edit',
  id: 'edit-6',
  step: 6,
  file: 'train.py',
  hunks: 2,
  added: 2,
  removed: 2,
  reason: 'Add a GradientBoostingRegressor(n_estimators=300, learning_rate=0.05) and keep the better model.',
};

export const RUN_DECISION: DecisionView = {
  kind: 'run',
  id: 'run-7',
  step: 7,
  command: 'python train.py --epochs 3',
  folder: 'experiments/diabetes',
  timeoutSec: 600,
};

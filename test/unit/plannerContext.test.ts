import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_ACTIONS } from '../../src/core/actions/index';
import { EXPERT_HELP_ACTION, requestExpertHelp } from '../../src/core/agents/expertHelp';
import {
  buildExpertMessages,
  buildPlannerMessages,
  DEFAULT_LIMITS,
  firstVisibleStep,
  summaryOf,
  type PlannerHistory,
} from '../../src/core/agents/plannerContext';
import { RECENT_STEPS_HEADING } from '../../src/core/agents/plannerPrompt';
import type { ExperimentRecord } from '../../src/core/experiments/types';
import type { StepRecord } from '../../src/core/memory/types';

function step(n: number, observation = `observation ${n} `.repeat(20)): StepRecord {
  return {
    type: 'step',
    step: n,
    time: '2026-01-01T00:00:00Z',
    model: 'openai:cheap',
    observation,
    response: {
      reflection: `reflection of step ${n}`,
      researchPlan: `1. the plan as of step ${n}`,
      factCheck: `fact check of step ${n}`,
      thought: `thought of step ${n}`,
      action: 'List Files',
      actionInput: { dir_path: `dir${n}` },
    },
  };
}

const steps = (count: number) => Array.from({ length: count }, (_, i) => step(i + 1));
const MENU = [...ALL_ACTIONS, requestExpertHelp];
const text = (messages: { content: string }[]) => messages.map((m) => m.content).join('');
const prompt = (count: number, menu = MENU) => text(buildPlannerMessages({ goal: 'the goal', steps: steps(count) }, menu));
/** The prompt without what is new at every step: the latest plan and what follows it. */
const withoutTail = (p: string) => p.slice(0, p.search(/\n\nYour Research Plan and Status as of|\n\nWhile lifelines|\n\nRespond with/));

/** A training run's observation: a long log whose score comes last, and the experiment it was recorded as. */
function trainingRun(n: number): StepRecord {
  const log = Array.from({ length: 200 }, (_, i) =>
    i % 2 ? `Epoch ${i + 1}/200  loss=${(1 / (i + 1)).toFixed(4)}  acc=0.${i}` : `  validation after epoch ${i + 1}: val_acc=0.${i}`,
  );
  const observation = [
    'The script has been executed. Here is the output:',
    ...log.slice(0, 60),
    '... [9000 characters omitted; the full output is in outputs/step-4-train.py.log] ...',
    ...log.slice(140),
    'test_accuracy: 0.9242',
    '',
    `Recorded as experiment #2 step ${n} train.py: ok 12.3 s | test_accuracy 0.9242`,
  ].join('\n');
  const base = step(n, observation);
  return { ...base, response: { ...base.response, action: 'Execute Script', actionInput: { script_name: 'train.py' } } };
}

/** A measured run of train.py at `at` (step 0: the baseline). */
function experiment(id: number, at: number): ExperimentRecord {
  return {
    id,
    step: at,
    kind: at === 0 ? 'baseline' : 'execute',
    script: 'train.py',
    command: 'python train.py',
    interpreter: 'python',
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 1000,
    exitCode: 0,
    outcome: 'ok',
    metrics: { accuracy: id / 10 },
  };
}

describe('the planner’s context', () => {
  test('at least the last 3 steps stay in view, and at most 3 + a fold batch - 1', () => {
    for (let count = 0; count <= 40; count++) {
      const visible = count - firstVisibleStep(count, DEFAULT_LIMITS);
      assert.ok(visible >= Math.min(count, DEFAULT_LIMITS.recentSteps), `${count} steps: ${visible} visible`);
      assert.ok(visible <= DEFAULT_LIMITS.recentSteps + DEFAULT_LIMITS.foldBatch - 1, `${count} steps: ${visible} visible`);
    }
  });

  test('the static prefix (system prompt and task) is byte-identical for the whole run, lifelines or not', () => {
    const withoutHelp = ALL_ACTIONS;
    const first = buildPlannerMessages({ goal: 'the goal', steps: [] }, MENU);
    for (const count of [1, 5, 17, 30]) {
      for (const menu of [MENU, withoutHelp]) {
        const messages = buildPlannerMessages({ goal: 'the goal', steps: steps(count) }, menu);
        assert.equal(messages[0].content, first[0].content, `system prompt at ${count} steps`);
        assert.ok(messages[1].content.startsWith('Research problem:\nthe goal\n\n'), `task first at ${count} steps`);
      }
    }
    assert.ok(!first[0].content.includes(EXPERT_HELP_ACTION), 'the lifeline is offered at the end, not in the system prompt');
    assert.match(text(first), new RegExp(`While lifelines are left you may also use:\\n- ${EXPERT_HELP_ACTION}: `));
    assert.ok(!prompt(3, ALL_ACTIONS).includes(EXPERT_HELP_ACTION), 'without lifelines the action is not mentioned');
  });

  test('between folds a new prompt extends the previous one up to its latest plan', () => {
    let appendOnly = 0;
    for (let count = 0; count < 30; count++) {
      if (firstVisibleStep(count, DEFAULT_LIMITS) !== firstVisibleStep(count + 1, DEFAULT_LIMITS)) continue;
      assert.ok(prompt(count + 1).startsWith(withoutTail(prompt(count))), `prompt for step ${count + 2} does not extend the one before`);
      appendOnly++;
    }
    const folds = Math.floor((30 - DEFAULT_LIMITS.recentSteps) / DEFAULT_LIMITS.foldBatch);
    assert.equal(appendOnly, 30 - folds, `${appendOnly} of 30 transitions were append-only`);
  });

  test('a fold appends to the research log: everything before the first recent step is kept', () => {
    const folds = Array.from({ length: 29 }, (_, i) => i + 2).filter(
      (count) => firstVisibleStep(count, DEFAULT_LIMITS) > firstVisibleStep(count - 1, DEFAULT_LIMITS),
    );
    assert.ok(folds.length >= 3);
    // until the log drops its oldest steps, a fold keeps the log written so far and appends to it
    for (const count of folds.filter((c) => firstVisibleStep(c, DEFAULT_LIMITS) <= DEFAULT_LIMITS.maxSummaryLines)) {
      const before = prompt(count - 1);
      const after = prompt(count);
      const kept = before.slice(0, before.indexOf(RECENT_STEPS_HEADING));
      assert.ok(after.startsWith(kept), `the fold at step ${count} rewrote the log before it`);
      assert.ok(after.indexOf('Research log (') > after.indexOf('Research problem:'), 'the log follows the task');
    }
  });

  test('each recent step shows its Thought, Action, Action Input and observation; the latest plan comes once, at the end', () => {
    const p = prompt(4);
    for (let n = 1; n <= 4; n++) {
      assert.match(
        p,
        new RegExp(
          `\\n\\nStep ${n}:\\nThought: thought of step ${n}\\nAction: List Files\\nAction Input: \\{"dir_path":"dir${n}"\\}\\nObservation:\\n`,
        ),
      );
      assert.ok(!p.includes(`reflection of step ${n}`), 'no Reflection of past steps');
      assert.ok(!p.includes(`fact check of step ${n}`), 'no Fact Check of past steps');
    }
    assert.ok(!p.includes('the plan as of step 3'), 'only the latest plan');
    assert.equal(p.match(/the plan as of step 4/g)?.length, 1);
    assert.ok(p.endsWith('\n\nRespond with your next step in the required format.'));
    assert.ok(p.indexOf('the plan as of step 4') > p.indexOf('Step 4:\n'));
  });

  test('the prompt stays bounded however long the run', () => {
    const sizes = [5, 15, 30, 60, 120].map((n) => prompt(n).length);
    const largest = Math.max(...sizes);
    assert.ok(largest < sizes[0] * 1.6, `sizes ${sizes.join(', ')}`);
  });

  test('a recent step’s observation is cut to its budget, keeping the end, the file with the full output and the score', () => {
    const history: PlannerHistory = { goal: 'the goal', steps: [...steps(3), trainingRun(4)] };
    const p = text(buildPlannerMessages(history, MENU));
    const observation = p.slice(p.indexOf('Step 4:\n'), p.indexOf('\n\nYour Research Plan'));
    assert.ok(observation.length <= DEFAULT_LIMITS.observationChars + 200, `${observation.length} characters`);
    assert.match(observation, /the full output is in outputs\/step-4-train\.py\.log/);
    assert.match(observation, /test_accuracy: 0\.9242/);
    assert.match(observation, /Recorded as experiment #2 step 4 train\.py/);
    assert.match(observation, /Epoch 200\/200/);
  });

  test('folded steps become one summary line each, their score kept, dropped in blocks when there are too many', () => {
    const history = [...steps(3), trainingRun(4), ...steps(30).slice(4)];
    const early = summaryOf(history.slice(0, 6), DEFAULT_LIMITS.maxSummaryLines);
    assert.equal(early[3], 'Step 4: Execute Script (train.py) -> ok, experiment #2');
    const lines = summaryOf(history, DEFAULT_LIMITS.maxSummaryLines);
    assert.ok(lines.length <= DEFAULT_LIMITS.maxSummaryLines + 1);
    assert.match(lines[0], /earlier steps omitted/);
    assert.match(lines[lines.length - 1], /^Step 30: List Files \(dir30\) -> observation 30/);
    assert.equal(summaryOf(steps(4), DEFAULT_LIMITS.maxSummaryLines).length, 4);
  });

  test('the research log holds the baseline, then each folded step with its experiments under it, after the task', () => {
    const experiments = [experiment(1, 0), experiment(2, 2), experiment(3, 9)];
    const p = buildPlannerMessages({ goal: 'the goal', steps: steps(9), experiments }, MENU)[1].content;
    assert.match(
      p,
      /^Research problem:\nthe goal\n\nResearch log \([^\n]*\n#1 step 0 baseline train\.py: ok 1\.0 s \| accuracy 0\.1\nStep 1: [^\n]*\nStep 2: [^\n]*\n {2}#2 step 2 train\.py/,
    );
    assert.ok(!p.includes('#3 step 9'), 'a run of a step still in view is read in its observation');
  });

  test('steps whose lines are dropped from the research log keep their experiments and notes in it', () => {
    const experiments = Array.from({ length: 10 }, (_, i) => experiment(i + 1, 3 * i + 1));
    const notes = [{ step: 2, text: 'keep the seed fixed' }];
    const p = buildPlannerMessages({ goal: 'the goal', steps: steps(30), experiments, notes }, MENU)[1].content;
    assert.match(p, /\nSteps 1-\d+ \(lines omitted; their experiments and notes below\):\n {2}#1 step 1 train\.py/);
    assert.ok(!p.includes('Step 1: List Files'), 'the line of an early step is dropped');
    for (const e of experiments.filter((x) => x.step < 28))
      assert.ok(p.includes(`#${e.id} step ${e.step} train.py`), `experiment #${e.id}`);
    assert.ok(p.includes('Note from the user (step 2): keep the seed fixed'));
  });

  test('one system message, then one user message', () => {
    const messages = buildPlannerMessages({ goal: 'the goal', steps: steps(7) }, MENU);
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user'],
    );
  });

  test('the system prompt names the six entries and every action with its keys, one line each', () => {
    const system = buildPlannerMessages({ goal: 'g', steps: [] }, MENU)[0].content;
    for (const entry of ['Reflection', 'Research Plan and Status', 'Fact Check', 'Thought', 'Action', 'Action Input'])
      assert.ok(system.includes(entry), entry);
    for (const action of ALL_ACTIONS) {
      const line = system.split('\n').find((l) => l.startsWith(`- ${action.name}: `));
      assert.ok(line, action.name);
      for (const key of Object.keys(action.input.shape)) assert.ok(line.includes(key), `${action.name}: ${key}`);
    }
    assert.ok(!system.includes('Usage'), 'no usage examples in the menu');
  });
});

describe('the expert’s compact context', () => {
  const expertMenu = ALL_ACTIONS;
  const long = (): PlannerHistory => ({ goal: 'the goal', steps: [...steps(16), ...[17, 18, 19, 20, 21].map(trainingRun)] });

  test('the summary of every earlier step, the latest plan and the last step with its observation cut short', () => {
    const [system, user] = buildExpertMessages(long(), expertMenu);
    assert.match(system.content, /^You are a planner solving/);
    for (const action of ALL_ACTIONS) assert.ok(system.content.includes(`- ${action.name} {`), action.name);
    assert.ok(!system.content.includes(EXPERT_HELP_ACTION));
    const content = user.content;
    assert.ok(content.startsWith('Research problem:\nthe goal'));
    assert.match(content, /Research log, one line per step[^\n]*\n\(\d+ earlier steps omitted\)\n/);
    assert.match(content, /\nStep 20: Execute Script \(train\.py\) -> ok, experiment #2\n/);
    assert.match(content, /Your Research Plan and Status as of step 21[^\n]*\n1\. the plan as of step 21/);
    assert.ok(!content.includes('the plan as of step 20'));
    const last = content.slice(content.indexOf('The last step:'));
    assert.match(last, /Step 21:\nThought: thought of step 21\nAction: Execute Script/);
    assert.match(last, /the full output is in outputs\/step-4-train\.py\.log/);
    assert.match(last, /test_accuracy: 0\.9242/);
    assert.ok(last.length <= DEFAULT_LIMITS.expertObservationChars + 300, `${last.length} characters`);
    assert.ok(content.endsWith('Respond with your next step in the required format.'));
  });

  test('with training runs in view, it is at most half the planner’s prompt of the same step', () => {
    const planner = text(buildPlannerMessages(long(), MENU)).length;
    const expert = text(buildExpertMessages(long(), expertMenu)).length;
    assert.ok(expert <= planner / 2, `expert ${expert} characters, planner ${planner}`);
  });
});

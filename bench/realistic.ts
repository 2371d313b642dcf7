import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Reply } from '../test/fixtures/fakeLlmScript';
import { fenced, PLANNER_MATCH } from '../test/fixtures/plannerReplies';

/**
 * A realistic 30-step trajectory on the digits fixture (test/fixtures/bench/digits-realistic): training logs
 * of 70 to 6,600 characters, three edits, an Understand File, a Reflection, planner answers of real
 * models' length (~550 tokens), two steps where the cheap planner breaks the format and one lifeline.
 */

export const REALISTIC_WORKSPACE = resolve(__dirname, '../test/fixtures/bench/digits-realistic');

export interface RealisticStep {
  action: string;
  input: Record<string, unknown>;
  /** the worker's reply, for LLM-backed actions */
  worker?: { match: string; text: string };
  /** the cheap planner breaks the format here: the cascade escalates */
  formatFailure?: boolean;
  /** the cheap planner asks for the planning expert here */
  lifeline?: boolean;
}

const TRAIN = () => readFileSync(join(REALISTIC_WORKSPACE, 'train.py'), 'utf8');

function edit(tag: string, instruction: string, change: (code: string) => string): RealisticStep {
  return {
    action: 'Edit Script (AI)',
    input: { script_name: 'train.py', edit_instruction: `${instruction} (${tag})`, save_name: 'train.py' },
    worker: { match: `\\(${tag}\\)`, text: fenced(change(TRAIN())) },
  };
}

const run = (script: string): RealisticStep => ({ action: 'Execute Script', input: { script_name: script } });
const inspect = (start: number, end: number): RealisticStep => ({
  action: 'Inspect Script Lines',
  input: { script_name: 'train.py', start_line_number: start, end_line_number: end },
});
const list = (dir = '.'): RealisticStep => ({ action: 'List Files', input: { dir_path: dir } });

export function realisticTrajectory(): RealisticStep[] {
  const steps: RealisticStep[] = [
    list(),
    {
      action: 'Understand File',
      input: { file_name: 'train.py', things_to_look_for: 'the model, the optimiser, the schedule and what is printed' },
      worker: { match: 'what is printed', text: READER_NOTE },
    },
    run('train.py'),
    inspect(1, 30),
    {
      action: 'Reflection',
      input: { things_to_reflect_on: 'what limits the validation accuracy so far and which change to try first' },
      worker: { match: 'which change to try first', text: REFLECTION_NOTE },
    },
    edit('edit one', 'Train for 14 epochs instead of 11', (c) => c.replace(/^EPOCHS = \d+/m, 'EPOCHS = 14')),
    run('train.py'),
    run('evaluate.py'),
    { ...list(), formatFailure: true },
    inspect(10, 20),
    edit('edit two', 'Use 10 epochs of 2 larger batches each', (c) =>
      c.replace(/^EPOCHS = \d+/m, 'EPOCHS = 10').replace(/^BATCHES_PER_EPOCH = \d+/m, 'BATCHES_PER_EPOCH = 2'),
    ),
    run('train.py'),
    { action: 'Copy File', input: { source: 'train.py', destination: 'train_backup.py' } },
    run('evaluate.py'),
    { ...inspect(1, 12), lifeline: true },
    edit('edit three', 'Go back to 11 epochs of 7 batches and raise dropout to 0.3', (c) =>
      c
        .replace(/^EPOCHS = \d+/m, 'EPOCHS = 11')
        .replace(/^BATCHES_PER_EPOCH = \d+/m, 'BATCHES_PER_EPOCH = 7')
        .replace(/^DROPOUT = [\d.]+/m, 'DROPOUT = 0.3'),
    ),
    run('train.py'),
    list(),
    run('evaluate.py'),
    inspect(20, 40),
    { ...run('train.py'), formatFailure: true },
    list(),
    inspect(1, 8),
    run('evaluate.py'),
    run('train.py'),
    inspect(30, 44),
    list(),
    run('evaluate.py'),
    run('train.py'),
    {
      action: 'Final Answer',
      input: { final_answer: 'Eleven epochs of seven batches with dropout 0.3 give the best validation accuracy of the settings tried.' },
    },
  ];
  return steps;
}

/** A planner answer of the length real models write (~550 tokens): the plan grows as the run goes on. */
export function realisticPlannerText(step: number, next: RealisticStep): string {
  const done = Math.min(step, 8);
  const items = [
    'Understand train.py: a small CNN on 8x8 digits, SGD with lr 1e-3, batch size 64, dropout 0.25, 11 epochs (done).',
    'Measure the baseline: run train.py and read test_accuracy and the per-epoch validation curve (done: see the experiments).',
    'Longer training: 14 epochs, to see whether the validation accuracy still rises at the end of the schedule.',
    'Fewer, larger batches: 10 epochs of 2 batches, to check whether the gradient noise limits the accuracy.',
    'Regularisation: dropout 0.3 with the original schedule, if the longer run overfits.',
    'Compare every setting on test_accuracy and the held-out accuracy of evaluate.py; keep the best.',
    'Check that the best setting is stable: run it again and compare the printed numbers.',
    'Write the final answer with the measured numbers only.',
  ];
  const plan = items
    .map((item, i) => `${i + 1}. ${item}${i === done - 1 ? ` **Updated at step ${step}: working on this now.**` : ''}`)
    .join('\n');
  return [
    `Reflection: The observation of step ${step - 1} is what I expected from the plan. The training log shows the loss ` +
      'falling steadily and the validation accuracy rising until the last epochs, where it flattens; nothing in the output ' +
      'points to an error, a divergence or a data problem. The numbers printed at the end are the ones to compare, and ' +
      'the experiments table keeps them, so I do not need to read the whole log again.',
    `Research Plan and Status:\n${plan}`,
    'Fact Check:\n' +
      '- The baseline test_accuracy is the one printed by train.py at step 3: confirmed by running it.\n' +
      '- Longer training helps until about epoch 12: guessed from the shape of the curve, not yet confirmed.\n' +
      '- evaluate.py reports the held-out accuracy of the last predictions: confirmed by running it.',
    `Thought: To make progress on item ${done} of the plan I will use ${next.action} now; its result decides whether ` +
      'the next change is to the schedule or to the regularisation, and it costs little to find out.',
    `Action: ${next.action}`,
    `Action Input: ${JSON.stringify(next.input, null, 1)}`,
  ].join('\n');
}

const BROKEN = (step: RealisticStep) =>
  `I think the best next step is to ${step.action.toLowerCase()} so that we can see more. Let me do that and then decide.`;

/** Replies for the cheap-first cascade: `cheap` plans, breaks the format twice (escalating to `expert`) and spends one lifeline. */
export function cascadeReplies(steps: RealisticStep[], retries: number): Reply[] {
  const replies: Reply[] = [];
  steps.forEach((s, i) => {
    const text = realisticPlannerText(i + 1, s);
    if (s.formatFailure) {
      for (let k = 0; k < retries; k++) replies.push({ match: PLANNER_MATCH, model: 'cheap', text: BROKEN(s) });
      replies.push({ match: PLANNER_MATCH, model: 'expert', text });
    } else if (s.lifeline) {
      const ask = { action: 'Request Planning Expert Help', input: { problem: 'which change to try after two settings did not help' } };
      replies.push({ match: PLANNER_MATCH, model: 'cheap', text: realisticPlannerText(i + 1, ask) });
      replies.push({ match: PLANNER_MATCH, model: 'expert', text });
    } else replies.push({ match: PLANNER_MATCH, model: 'cheap', text });
  });
  for (const s of steps) if (s.worker) replies.push({ match: s.worker.match, model: 'cheap', text: s.worker.text });
  return replies;
}

/** Replies for the expert alone: every answer well formed, no lifeline. */
export function expertReplies(steps: RealisticStep[]): Reply[] {
  return [
    ...steps.map((s, i) => ({ match: PLANNER_MATCH, model: 'expert', text: realisticPlannerText(i + 1, s) })),
    ...steps.flatMap((s) => (s.worker ? [{ match: s.worker.match, model: 'expert', text: s.worker.text }] : [])),
  ];
}

const READER_NOTE = [
  'In this file, train.py defines the training of a small network on the 8x8 digits:',
  '- Settings (lines 9-13): EPOCHS = 11, BATCHES_PER_EPOCH = 7, LEARNING_RATE = 1e-3, BATCH_SIZE = 64, DROPOUT = 0.25.',
  '- The loss follows a fixed curve per step (lines 16-17); there is no data loading in this file.',
  '- main() (lines 20-38) prints a header line with the device, the parameter count and the settings, then one line',
  '  per batch with the epoch, the samples seen, the loss and the accuracy, and after each epoch a line with val_loss,',
  '  val_acc, best_val_acc and the learning rate.',
  '- At the end it prints the training time and "test_accuracy: <value>", the number the task is scored on.',
  'In this segment, I cannot find a learning-rate schedule, weight decay, or a checkpoint being written.',
].join('\n');

const REFLECTION_NOTE = [
  'The baseline reaches its best validation accuracy in the last two epochs and the curve has not flattened completely,',
  'so the first thing to try is a longer schedule (14 epochs). If that only adds noise, the batches per epoch are the',
  'next lever: fewer, larger batches change the gradient noise. Dropout is already 0.25; raising it only makes sense',
  'once a longer run shows a gap between training and validation accuracy. Every change should be measured with',
  'train.py and evaluate.py, and compared on the printed test_accuracy only, not on impressions of the log.',
].join('\n');

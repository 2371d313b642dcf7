import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reply } from '../test/fixtures/fakeLlmScript';
import { fenced, PLANNER_MATCH } from '../test/fixtures/plannerReplies';

/** A scripted 30-step trajectory on the diabetes fixture, with replies of realistic length. */

export interface PlannedAction {
  action: string;
  input: Record<string, unknown>;
  /** the worker's reply, for LLM-backed actions */
  worker?: { match: string; text: string };
}

const DEPTHS = [3, 4, 5, 6, 8];

export function trajectory(taskEnv: string, steps = 30): PlannedAction[] {
  const original = readFileSync(join(taskEnv, 'train.py'), 'utf8');
  const cycle = (i: number): PlannedAction => {
    const depth = DEPTHS[i % DEPTHS.length];
    switch (i % 6) {
      case 0:
        return { action: 'List Files', input: { dir_path: '.' } };
      case 1:
        return { action: 'Inspect Script Lines', input: { script_name: 'train.py', start_line_number: 1, end_line_number: 15 } };
      case 2:
        return {
          action: 'Understand File',
          input: { file_name: 'train.py', things_to_look_for: `the model and its settings (pass ${i})` },
          worker: { match: `pass ${i}\\)`, text: readerNote(depth) },
        };
      case 3: {
        const instruction = `Set the tree depth to ${depth} (edit ${i}).`;
        return {
          action: 'Edit Script (AI)',
          input: { script_name: 'train.py', edit_instruction: instruction, save_name: 'train.py' },
          worker: { match: `\\(edit ${i}\\)`, text: fenced(original.replace(/max_depth=\d+/, `max_depth=${depth}`)) },
        };
      }
      case 4:
        return { action: 'Execute Script', input: { script_name: 'train.py' } };
      default:
        return { action: 'Retrieval from Research Log', input: { current_plan: `compare the depths tried so far, step ${i}` } };
    }
  };
  const actions = Array.from({ length: steps - 1 }, (_, i) => cycle(i));
  actions.push({ action: 'Final Answer', input: { final_answer: 'A depth-4 tree gives the lowest test MAE of the depths tried.' } });
  return actions;
}

/** A planner answer of typical length: the plan grows a little with each step. */
export function plannerText(step: number, action: PlannedAction): string {
  const plan = [
    '1. Understand train.py and the data (done).',
    '2. Measure the baseline test MAE (done: 46.26).',
    `3. Try tree depths 3, 4, 5, 6 and 8 and compare test MAE. **In progress: step ${step}.**`,
    '4. Keep the best setting and give the final answer.',
  ].join('\n');
  return [
    `Reflection: The last observation is consistent with the plan; nothing unexpected appeared in step ${step - 1}.`,
    `Research Plan and Status:\n${plan}`,
    'Fact Check:\n- Baseline test MAE 46.26: confirmed by running train.py.\n- Deeper trees overfit: guessed, to be checked.',
    `Thought: Next I will use ${action.action} to make progress on item 3 of the plan.`,
    `Action: ${action.action}`,
    `Action Input: ${JSON.stringify(action.input)}`,
  ].join('\n');
}

function readerNote(depth: number): string {
  return `In this file, a DecisionTreeRegressor is trained (line 10) with max_depth=${depth} and random_state=0 on a 70/30 split (line 9, random_state=7). The script prints the test MAE (line 13) and writes one prediction per test row to submission.csv (line 14). Nothing else is tuned.`;
}

/** The replies for one model: planner answers in order, and the worker replies keyed by their match. */
export function repliesFor(actions: PlannedAction[], plannerModel: string, workerModel: string): Reply[] {
  return [
    ...actions.map((a, i) => ({ match: PLANNER_MATCH, model: plannerModel, text: plannerText(i + 1, a) })),
    ...actions.flatMap((a) => (a.worker ? [{ match: a.worker.match, model: workerModel, text: a.worker.text }] : [])),
  ];
}

import type { RunEvent } from '../../src/core/events';
import { initialSidebar, reduceSidebar, withPendingEdit, type SidebarInput, type SidebarOptions } from '../../src/core/view/sidebarState';
import type { SidebarView } from '../../src/shared/viewModels';

/** A sidebar view in the middle of a realistic run, folded from events: what the render test shows. */

const OPTIONS: SidebarOptions = { maxSteps: 30, lifelinesTotal: 5, higherIsBetter: false, replay: true };
const PLAN = '1. Understand train.py and the data.\n2. Measure the baseline test MAE.\n3. Try a linear model (Ridge) and gradient boosting.';
const TRAIN_OUTPUT = 'The script has been executed. Here is the output:\nLoading data…\nfold 1/3 done\nfold 2/3 done\nfold 3/3 done\ntest MAE: ';

function planned(step: number, model: string, plan: string, factCheck: string, action: string, actionInput: Record<string, unknown>): RunEvent {
  return { type: 'planned', step, model, reflection: 'What the observation says.', researchPlan: plan, factCheck, thought: 'Next.', action, actionInput };
}

function call(step: number, role: 'planner' | 'worker' | 'expert', model: string, usd: number): SidebarInput {
  return { type: 'call', step, role, model, usd };
}

const EVENTS: SidebarInput[] = [
  { type: 'run-started', runId: 'replay-1795396199095', runDir: '/runs/replay', goal: 'Improve train.py, which predicts diabetes disease progression: lower the mean absolute error on the test split by more than 10 %. Keep the split.', budgetUsd: 0.05, resumedFromStep: 0 },
  { type: 'score', label: 'baseline', score: 46.264763, metric: 'mae', higherIsBetter: false },
  { type: 'step-started', step: 1 },
  call(1, 'planner', 'gemini:gemini-2.5-flash', 0.0021),
  call(1, 'planner', 'gemini:gemini-2.5-flash', 0.0023),
  call(1, 'planner', 'gemini:gemini-2.5-flash', 0.0022),
  call(1, 'planner', 'openai:gpt-4.1-mini', 0.0048),
  { type: 'escalation', role: 'planner', from: 'gemini:gemini-2.5-flash', to: 'openai:gpt-4.1-mini', reason: 'format: the reply has no Action Input entry (3 attempts)', addedUsd: 0.0048 },
  planned(1, 'openai:gpt-4.1-mini', `${PLAN} **Listing the files.**`, 'There are no facts yet; everything is guessed.', 'List Files', { dir_path: '.' }),
  { type: 'observation', step: 1, action: 'List Files', observation: 'data_description.txt\ntrain.py\nbackup/' },
  { type: 'step-started', step: 2 },
  call(2, 'planner', 'gemini:gemini-2.5-flash', 0.0026),
  call(2, 'worker', 'gemini:gemini-2.5-flash-lite', 0.0009),
  planned(2, 'gemini:gemini-2.5-flash', `${PLAN}\n**train.py trains a depth-2 DecisionTreeRegressor.**`, '- train.py exists: confirmed by "train.py" in the listing.', 'Understand File', { file_name: 'train.py', things_to_look_for: 'which model is trained, its settings, how the test MAE is computed' }),
  { type: 'observation', step: 2, action: 'Understand File', observation: 'train.py fits a DecisionTreeRegressor(max_depth=2, random_state=0) (line 10) on a 70/30 split (line 9) and prints the test MAE (line 13).' },
  { type: 'step-started', step: 3 },
  call(3, 'planner', 'gemini:gemini-2.5-flash', 0.0029),
  planned(3, 'gemini:gemini-2.5-flash', `${PLAN}\n**Running the baseline.**`, '- The model is a depth-2 tree: confirmed by the summary of train.py.', 'Execute Script', { script_name: 'train.py' }),
  { type: 'observation', step: 3, action: 'Execute Script', observation: `${TRAIN_OUTPUT}46.265\n`, artifacts: { output: 'outputs/step-3-train.py.log' } },
  { type: 'step-started', step: 4 },
  call(4, 'planner', 'gemini:gemini-2.5-flash', 0.0031),
  { type: 'lifeline', used: 1, left: 4 },
  call(4, 'expert', 'openai:gpt-4.1', 0.0118),
  call(4, 'worker', 'gemini:gemini-2.5-flash-lite', 0.0012),
  planned(4, 'openai:gpt-4.1', `${PLAN}\n2. Baseline test MAE 46.265 (done).\n**Replacing the tree with Ridge(alpha=0.1).**`, '1. The baseline test MAE is 46.26 (confirmed by running train.py).\n2. Ridge will beat the tree: guessed.', 'Edit Script (AI)', { script_name: 'train.py', edit_instruction: 'Replace the depth-2 decision tree with Ridge regression (alpha 0.1); keep everything else.', save_name: 'train.py' }),
  { type: 'observation', step: 4, action: 'Edit Script (AI)', observation: 'The edited file is saved to train.py. Here is the diff, please check if the edit is correct and desirable:\n\n--- a/train.py\n+++ b/train.py\n@@ -4,7 +4,7 @@\n-from sklearn.tree import DecisionTreeRegressor\n+from sklearn.linear_model import Ridge\n@@ -10 +10 @@\n-model = DecisionTreeRegressor(max_depth=2, random_state=0)\n+model = Ridge(alpha=0.1)', artifacts: { diff: 'diffs/step-4.diff' } },
  { type: 'step-started', step: 5 },
  call(5, 'planner', 'gemini:gemini-2.5-flash', 0.0033),
  planned(5, 'gemini:gemini-2.5-flash', `${PLAN}\n2. Baseline test MAE 46.265 (done).\n**Ridge is in place; measuring it.**`, 'The edit is confirmed by the diff.', 'Execute Script', { script_name: 'train.py' }),
  { type: 'observation', step: 5, action: 'Execute Script', observation: `${TRAIN_OUTPUT}40.748\n`, artifacts: { output: 'outputs/step-5-train.py.log' } },
  { type: 'step-started', step: 6 },
  call(6, 'planner', 'gemini:gemini-2.5-flash', 0.0034),
  call(6, 'worker', 'gemini:gemini-2.5-flash-lite', 0.0011),
  planned(6, 'gemini:gemini-2.5-flash', `${PLAN}\n2. Baseline test MAE 46.265 (done).\n3. **Ridge: test MAE 40.748 (11.9 % better).** **Next: gradient boosting.**`, '1. Ridge gives a test MAE of 40.75: confirmed by the output of step 5.\n2. The baseline was 46.26 (confirmed).\n3. Gradient boosting will do better still: guessed.', 'Edit Script (AI)', { script_name: 'train.py', edit_instruction: 'Add a GradientBoostingRegressor(n_estimators=300, learning_rate=0.05) and keep the better model.', save_name: 'train.py' }),
  { type: 'spend', usd: 0.0437, budgetUsd: 0.05, streaming: true },
];

export function realisticView(): SidebarView {
  const state = EVENTS.reduce((s, input) => reduceSidebar(s, input, OPTIONS), initialSidebar(OPTIONS));
  return withPendingEdit(state, 'train.py').view;
}

#!/usr/bin/env node
// A window reload during a training run, end to end, in a real VS Code (code-server + headless
// Chromium): the planner runs a training script of about 25 seconds, the window is reloaded while it
// prints its epochs, and "BudgetML: Resume Run" follows that same script to its end. Checked: the
// script kept running across the reload and was started once, the step's observation holds its
// whole output, and the run finishes with a final answer.
// The models are the fake OpenAI server over real HTTP.
//
//   node --import tsx test/e2e/reloadTraining.mjs      (part of npm run test:e2e)
// Environment: as test/e2e/userJourney.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies.ts';
import { assert, check, step } from './lib/checks.mjs';
import { MODELS } from './lib/fakeModels.mjs';
import { readLog, runFolder, waitFor } from './lib/journey.mjs';
import { runJourney } from './lib/runJourney.mjs';
import { openSampleWorkbench, startTaskWithPrefilledGoal } from './lib/sampleWorkbench.mjs';
import * as wb from './lib/workbench.mjs';

const PYTHON = process.env.BUDGETML_E2E_PYTHON || '/usr/bin/python3';
const EPOCHS = 25;
const TRAIN = { action: 'Execute Script', input: { script_name: 'long_train.py' } };
const DONE = { action: 'Final Answer', input: { final_answer: 'The long training run reached test_accuracy 0.93.' } };
/** What long_train.py printed so far, in the run folder where detached scripts write their output. */
function trainingOutput(runDir) {
  const dir = path.join(runDir, 'detached');
  const outputs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.out')) : [];
  return outputs.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).find((text) => text.startsWith('epoch')) ?? '';
}

const planner = (s, i) => ({ match: PLANNER_MATCH, model: MODELS.planner.split(':')[1], text: plannerReply(s, i) });

await runJourney('budgetml-e2e-reload-training-', async ({ tmp, cleanup, setPage }) => {
  const workspace = path.join(tmp, 'diabetes');
  const starts = path.join(tmp, 'starts.txt');
  const { page } = await openSampleWorkbench({
    tmp,
    workspace,
    apiKey: 'sk-e2e-reload-training',
    python: PYTHON,
    // step 1 is asked twice: before the reload, and again by the resumed run
    replies: [planner(TRAIN, 1), planner(TRAIN, 1), planner(DONE, 2)],
    settings: { 'budgetml.autoRunScripts': true, 'budgetml.autoApproveEdits': true },
    cleanup,
  });
  setPage(page);
  fs.writeFileSync(
    path.join(workspace, 'long_train.py'),
    [
      'import time',
      `open(${JSON.stringify(starts)}, "a").write("start\\n")`,
      `for epoch in range(1, ${EPOCHS + 1}):`,
      '    print(f"epoch {epoch} loss={1 / epoch:.4f}", flush=True)',
      '    time.sleep(1)',
      'print("test_accuracy: 0.93")',
    ].join('\n'),
  );
  await startTaskWithPrefilledGoal(page, workspace);

  let runDir;
  await step('the training script starts and prints its first epochs', async () => {
    runDir = await waitFor(() => runFolder(workspace), 'a run folder in .budgetml/runs', 30000);
    await waitFor(() => fs.existsSync(starts), 'long_train.py to start', 60000);
    await waitFor(() => /epoch 2 /.test(trainingOutput(runDir)), 'epoch 2', 20000);
    return 'epoch 2 printed';
  });
  await step('the window reloads while the script trains', async () => wb.reloadWindow(page, 'train.py'));
  await check('the script trains on after the reload', async () => {
    const before = trainingOutput(runDir);
    await page.waitForTimeout(2500);
    const after = trainingOutput(runDir);
    assert(after.length > before.length && !/test_accuracy/.test(before), `output ${before.length} → ${after.length} characters`);
    return `${after.trim().split('\n').at(-1)}`;
  });
  let summary;
  await step('F1 → "BudgetML: Resume Run" follows the script to its end and finishes the run', async () => {
    await wb.runCommand(page, 'BudgetML: Resume Run');
    await wb.toast(page, 'BudgetML run ended').waitFor({ state: 'visible', timeout: 60000 });
    summary = await waitFor(() => JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')), 'summary.json', 5000);
    assert(summary.status === 'final_answer', `summary status ${summary.status}: ${summary.message ?? ''}`);
    return summary.status;
  });
  await check('the script was started once, and the step saw its whole output', () => {
    assert(fs.readFileSync(starts, 'utf8') === 'start\n', `starts: ${JSON.stringify(fs.readFileSync(starts, 'utf8'))}`);
    const trained = readLog(runDir).filter((r) => r.type === 'step' && r.response.action === 'Execute Script');
    assert(trained.length === 1, `${trained.length} Execute Script steps`);
    const observation = trained[0].observation;
    assert(/epoch 1 loss=1\.0000[\s\S]*epoch 25 loss=0\.0400\ntest_accuracy: 0\.93/.test(observation), observation.slice(0, 400));
    return 'one start; epochs 1–25 and the score in the observation';
  });
});

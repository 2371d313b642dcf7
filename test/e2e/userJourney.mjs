#!/usr/bin/env node
// The user journey, end to end, in a real VS Code (code-server + headless Chromium):
// the packaged .vsix is installed into a fresh code-server, the sample project is opened, and the
// workbench is driven with keyboard and clicks: Start Task, the goal, Run approvals, the proposed
// edit reviewed in a diff and accepted, the training output in the terminal, the sidebar (plan,
// fact check, cost, metrics), the status-bar spend, the final answer and summary.json.
// The models are a fake OpenAI server over real HTTP, scripted with the recorded diabetes run.
//
//   npm run test:e2e          (node --import tsx test/e2e/userJourney.mjs)
// Environment: CODE_SERVER_BIN (use this code-server), CHROMIUM_BIN (default /usr/bin/chromium),
//   BUDGETML_E2E_PYTHON (default /usr/bin/python3), BUDGETML_E2E_SCREENSHOTS (default media/screenshots),
//   BUDGETML_KEEP_TEST_TMP=1 (keep the temporary folder: server log, workspace, run folder).
import fs from 'node:fs';
import path from 'node:path';
import { assert, check, step } from './lib/checks.mjs';
import { scriptedReplies } from './lib/fakeModels.mjs';
import { runJourney } from './lib/runJourney.mjs';
import { openSampleWorkbench, startTaskWithPrefilledGoal } from './lib/sampleWorkbench.mjs';
import { ROOT } from './lib/vscodeServer.mjs';
import * as wb from './lib/workbench.mjs';
import { readSidebar, runFolder } from './lib/journey.mjs';

const PYTHON = process.env.BUDGETML_E2E_PYTHON || '/usr/bin/python3';
const SHOTS = path.resolve(process.env.BUDGETML_E2E_SCREENSHOTS || path.join(ROOT, 'media', 'screenshots'));
const API_KEY = 'sk-e2e-from-the-environment';
const RUN_PROMPT = 'BudgetML wants to run';
const DIFF_TITLE = 'train.py ↔ BudgetML proposal';

await runJourney('budgetml-e2e-', async ({ tmp, cleanup, setPage }) => {
  const workspace = path.join(tmp, 'diabetes');
  const { page, fake } = await openSampleWorkbench({
    tmp,
    workspace,
    apiKey: API_KEY,
    python: PYTHON,
    replies: scriptedReplies(),
    cleanup,
  });
  setPage(page);
  await startTaskWithPrefilledGoal(page, workspace);

  const approved = [];
  await step('the baseline run waits for Run; approving the runs leads to the proposed edit', async () => {
    const diffTab = page.locator('.tabs-container .tab', { hasText: DIFF_TITLE }).first();
    const deadline = Date.now() + 60000;
    while (!(await diffTab.isVisible())) {
      assert(Date.now() < deadline, `no diff after approving ${approved.length} runs`);
      if (await wb.toast(page, RUN_PROMPT).isVisible()) approved.push(await wb.clickToastButton(page, RUN_PROMPT, 'Run'));
      else await page.waitForTimeout(100);
    }
    assert(/train\.py/.test(approved[0] ?? ''), `the first run asked for was "${approved[0]}"`);
    return approved.map((m) => m.replace(/^.*run `?([^`]*)`?.*$/, '$1')).join(' · ');
  });
  await check('the diff shows the proposal: tab "train.py ↔ BudgetML proposal", Ridge on the right', async () => {
    assert((await wb.tabTitles(page)).includes(DIFF_TITLE), 'no such tab');
    const right = page.locator('.monaco-diff-editor .editor.modified .view-lines').first();
    await right.filter({ hasText: 'Ridge' }).waitFor({ timeout: 10000 });
    await page.waitForTimeout(500);
    await wb.screenshot(page, path.join(SHOTS, 'diff-review.png'));
  });
  await step('Accept in the editor title applies the edit', async () => {
    await wb.clickEditorAction(page, 'Accept Edit');
    await page.locator('.tabs-container .tab', { hasText: DIFF_TITLE }).waitFor({ state: 'detached', timeout: 10000 });
    assert(/Ridge\(alpha=0\.1\)/.test(fs.readFileSync(path.join(workspace, 'train.py'), 'utf8')), 'train.py on disk has no Ridge');
  });
  await step('the next script run waits for Run; the training output appears in the terminal', async () => {
    approved.push(await wb.clickToastButton(page, RUN_PROMPT, 'Run', 30000));
    await wb.waitForTerminal(page, /test MAE: 40\.7\d\d/, 30000);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'train.py' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'Ridge(alpha=0.1)' }).first().waitFor({ timeout: 10000 });
    await wb.screenshot(page, path.join(SHOTS, 'terminal.png'));
  });

  let sidebar;
  await check('the BudgetML sidebar shows the plan, the fact check and the cost', async () => {
    await wb.openActivity(page, 'BudgetML');
    sidebar = await wb.findFrame(page, '#app .panel-plan .plan-text', 10000);
    const view = await readSidebar(sidebar);
    assert(/Understand train\.py/.test(view.plan), `plan: "${view.plan}"`);
    assert(view.facts.length > 0, 'no fact-check items');
    assert(/^~?\$0\.\d{4}$/.test(view.spend), `cost: "${view.spend}"`);
    await wb.screenshot(page, path.join(SHOTS, 'sidebar.png'));
    return `${view.facts.length} facts, ${view.spend}`;
  });

  let ended;
  await step('the final score run waits for Run; the run ends with a final answer', async () => {
    approved.push(await wb.clickToastButton(page, RUN_PROMPT, 'Run', 30000));
    const done = wb.toast(page, 'BudgetML run ended');
    await done.waitFor({ state: 'visible', timeout: 30000 });
    ended = (await done.locator('.notification-list-item-message').textContent()) ?? '';
    assert(/\(final answer\)/.test(ended), ended);
    return ended;
  });
  await check('five script runs were asked for, each approved by the user', () =>
    assert(approved.length === 5, `${approved.length}: ${approved.join(' | ')}`),
  );

  await check('summary.json in .budgetml/runs/<id>/ says success with the improved metric', () => {
    const summary = JSON.parse(fs.readFileSync(path.join(runFolder(workspace), 'summary.json'), 'utf8'));
    assert(summary.success === true && summary.status === 'final_answer', JSON.stringify(summary).slice(0, 300));
    assert(
      Math.abs(summary.baseline - 46.26) < 0.01 && Math.abs(summary.score - 40.75) < 0.01,
      `baseline ${summary.baseline}, score ${summary.score}`,
    );
    assert(/Ridge/.test(summary.finalAnswer ?? ''), `final answer: ${summary.finalAnswer}`);
    return `${summary.baseline} → ${summary.score}, ${summary.steps} steps, $${summary.cost.usd.toFixed(4)}`;
  });
  await check('the models were asked with the key from OPENAI_API_KEY, every scripted reply used', () => {
    assert(
      fake.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`),
      'a request without the key',
    );
    assert(fake.requests.length === scriptedReplies().length, `${fake.requests.length} requests`);
  });
  let spend;
  await check("the status bar shows the run's spend (summary.json)", async () => {
    const usd = JSON.parse(fs.readFileSync(path.join(runFolder(workspace), 'summary.json'), 'utf8')).cost.usd;
    spend = await wb.statusBarItem(page, 'BudgetML spend');
    assert(spend.text === `$${usd.toFixed(4)} / $1.00`, `status bar "${spend.text}", summary $${usd}`);
    return spend.text;
  });
  await check("the sidebar shows the final answer, baseline and final metric, and the status bar's spend", async () => {
    await wb.openActivity(page, 'BudgetML');
    sidebar = await wb.findFrame(page, '#app .panel-metrics .legend', 10000);
    await sidebar.locator('#app .phase', { hasText: 'Finished' }).waitFor({ timeout: 10000 });
    const view = await readSidebar(sidebar);
    assert(/Final Answer/.test(view.timeline) && /Ridge/.test(view.timeline), 'the timeline has no final answer');
    assert(/baseline 46\.26/.test(view.metricsLegend), `metrics legend: "${view.metricsLegend}"`);
    assert(/^40\.75 \(11\.9 % better\)$/.test(view.metricsSummary), `metrics: "${view.metricsSummary}"`);
    assert(spend?.text.startsWith(`${view.spend} /`), `status bar "${spend?.text}" vs sidebar "${view.spend}"`);
    await sidebar.locator('#app .panel-metrics').evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
    await page.mouse.move(640, 400);
    await wb.screenshot(page, path.join(SHOTS, 'final.png'));
    return `${view.metricsSummary}; ${view.spend}`;
  });
  await wb.screenshot(page, path.join(tmp, 'end.png'));
});

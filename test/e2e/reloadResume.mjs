#!/usr/bin/env node
// Reload and resume, end to end, in a real VS Code (code-server + headless Chromium): a run is
// started on the diabetes sample, the window is reloaded while the planner's reply for step 3 is
// still on its way (the fake server holds it back), and "BudgetML: Resume Run" continues the run
// from its last finished step. Checked: the run finishes with a final answer, every step is in
// log.jsonl exactly once, every model call was paid once (no finished step was asked again), and
// the status bar and the sidebar show the resumed run with its whole spend.
// The models are the fake OpenAI server over real HTTP, scripted with the recorded diabetes run.
//
//   node --import tsx test/e2e/reloadResume.mjs      (part of npm run test:e2e)
// Environment: as test/e2e/userJourney.mjs (CODE_SERVER_BIN, CHROMIUM_BIN, BUDGETML_E2E_PYTHON,
//   BUDGETML_E2E_SCREENSHOTS, BUDGETML_KEEP_TEST_TMP=1), and BUDGETML_E2E_RELOAD_DELAY_MS (how long
//   the interrupted planner reply is held back; default 20000).
import { formatUsd } from '../../src/shared/money.ts';
import fs from 'node:fs';
import path from 'node:path';
import { callCost, priceFor } from '../../src/core/cost/prices.ts';
import { assert, check, say, step } from './lib/checks.mjs';
import { runJourney } from './lib/runJourney.mjs';
import { openSampleWorkbench, startTaskWithPrefilledGoal } from './lib/sampleWorkbench.mjs';
import { MODELS, PRICES, repliesWithSlowPlannerStep, requestKind } from './lib/fakeModels.mjs';
import { ROOT } from './lib/vscodeServer.mjs';
import * as wb from './lib/workbench.mjs';
import { readLog, readSidebar, runFolder, waitFor } from './lib/journey.mjs';

const PYTHON = process.env.BUDGETML_E2E_PYTHON || '/usr/bin/python3';
const SHOTS = path.resolve(process.env.BUDGETML_E2E_SCREENSHOTS || path.join(ROOT, 'media', 'screenshots'));
const API_KEY = 'sk-e2e-from-the-environment';
/** the step whose planner reply is on its way when the window reloads */
const INTERRUPTED_STEP = 3;
const DELAY_MS = Number(process.env.BUDGETML_E2E_RELOAD_DELAY_MS || 20000);
/** steps of the recorded run: the sixth is the final answer */
const STEPS = 6;
const SCREENSHOT_MAX_BYTES = 200 * 1024;

const stepsOf = (records) => records.filter((r) => r.type === 'step').map((r) => r.step);
const callsOf = (records) => records.filter((r) => r.type === 'call');
const usd = formatUsd;

await runJourney('budgetml-e2e-reload-', async ({ tmp, cleanup, setPage }) => {
  const workspace = path.join(tmp, 'diabetes');
  const { page, fake } = await openSampleWorkbench({
    tmp,
    workspace,
    apiKey: API_KEY,
    python: PYTHON,
    replies: repliesWithSlowPlannerStep(INTERRUPTED_STEP, DELAY_MS),
    // scripts run and edits apply without asking, to keep the run short
    settings: { 'budgetml.autoRunScripts': true, 'budgetml.autoApproveEdits': true },
    cleanup,
  });
  setPage(page);
  const goal = await startTaskWithPrefilledGoal(page, workspace);

  let runDir;
  let askedBeforeReload = 0;
  let interruptedAskedAt = 0;
  await step(
    `steps 1–2 finish and the planner is asked for step ${INTERRUPTED_STEP} (its reply held back ${DELAY_MS / 1000} s)`,
    async () => {
      runDir = await waitFor(() => runFolder(workspace), 'a run folder in .budgetml/runs', 30000);
      await waitFor(() => stepsOf(readLog(runDir)).length >= 2, 'two step records in log.jsonl', 45000);
      await waitFor(
        () => fake.requests.some((r) => requestKind(r).step === INTERRUPTED_STEP),
        `the planner request for step ${INTERRUPTED_STEP}`,
        15000,
      );
      interruptedAskedAt = Date.now();
      askedBeforeReload = fake.requests.length;
      const records = readLog(runDir);
      return `steps ${stepsOf(records).join(', ')}; ${callsOf(records).length} calls paid; ${askedBeforeReload} requests`;
    },
  );
  let stepsBeforeReload = [];
  await step('the window reloads as a user reloads it, while the step is under way', async () => {
    stepsBeforeReload = stepsOf(readLog(runDir));
    assert(!fs.existsSync(path.join(runDir, 'summary.json')), 'the run ended before the reload');
    const how = await wb.reloadWindow(page, 'train.py');
    const waited = Date.now() - interruptedAskedAt;
    assert(waited < DELAY_MS, `the reload took ${waited} ms: the held-back reply (${DELAY_MS} ms) came first`);
    return `${how}, ${(waited / 1000).toFixed(1)} s into the held-back reply`;
  });
  await check('after the reload the sidebar shows the run, stopped at its last finished step', async () => {
    await wb.openActivity(page, 'BudgetML');
    const sidebar = await wb.findFrame(page, '#app .phase', 20000);
    await sidebar.locator('#app .phase', { hasText: /Interrupted|Stopped/ }).waitFor({ timeout: 10000 });
    const view = await readSidebar(sidebar);
    const shown = (await sidebar.locator('#app .panel-timeline .step-no').allTextContents()).map(Number).sort((a, b) => a - b);
    assert(shown.join() === stepsBeforeReload.join(), `timeline steps ${shown.join(', ')}, log ${stepsBeforeReload.join(', ')}`);
    // when the extension host had time to end the run cleanly, the log says how to continue it
    const ended = readLog(runDir)
      .filter((r) => r.type === 'end')
      .at(-1);
    assert(!ended || /Resume Run/.test(ended.message ?? ''), `the log says why the run stopped: ${JSON.stringify(ended)}`);
    return `${view.phase}, steps ${shown.join(', ')}, ${view.spend}`;
  });

  let summary;
  let resumedAt = 0;
  await step('F1 → "BudgetML: Resume Run" continues the run to a final answer', async () => {
    await wb.runCommand(page, 'BudgetML: Resume Run');
    resumedAt = Date.now();
    const done = wb.toast(page, 'BudgetML run ended');
    await done.waitFor({ state: 'visible', timeout: 45000 });
    const ended = (await done.locator('.notification-list-item-message').textContent()) ?? '';
    summary = await waitFor(() => JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')), 'summary.json', 5000);
    assert(summary.status === 'final_answer', `summary status ${summary.status}: ${summary.message ?? ''}; the notification: ${ended}`);
    assert(/\(final answer\)/.test(ended), ended);
    return `${((Date.now() - resumedAt) / 1000).toFixed(1)} s: ${ended.slice(0, 90)}…`;
  });
  const folders = fs.readdirSync(path.join(workspace, '.budgetml', 'runs'));
  await check('the run was continued in its own folder (no second run folder)', () =>
    assert(folders.length === 1, `run folders: ${folders.join(', ')}`),
  );

  // the held-back reply is served (or dropped) DELAY_MS after it was asked for: a run still waiting
  // for it in the extension host of the window before the reload would then write its step again
  const stoppedBeforeResume = (() => {
    const log = readLog(runDir);
    const resumeAt = log.findIndex((r) => r.type === 'resume');
    return log.slice(0, resumeAt).some((r) => r.type === 'end');
  })();
  const late = interruptedAskedAt + DELAY_MS + 2000 - Date.now();
  if (stoppedBeforeResume)
    say('the run of the window before the reload ended before the resume (its end record precedes the resume record)');
  else if (late > 0) {
    say(`waiting ${(late / 1000).toFixed(1)} s past the held-back reply for anything the window before the reload still writes`);
    await page.waitForTimeout(late);
  }
  const records = readLog(runDir);
  const steps = stepsOf(records);
  const calls = callsOf(records);

  await check(`log.jsonl has steps 1..${STEPS}, each exactly once, and says where the run resumed`, () => {
    const expected = Array.from({ length: STEPS }, (_, i) => i + 1);
    assert(steps.join() === expected.join(), `steps in log order: ${steps.join(', ')}`);
    assert(summary.steps === STEPS, `summary.json counts ${summary.steps} steps`);
    const resumes = records.filter((r) => r.type === 'resume').map((r) => r.fromStep);
    assert(resumes.join() === String(stepsBeforeReload.length + 1), `resume records from step ${resumes.join(', ') || 'none'}`);
    const ends = records.filter((r) => r.type === 'end').map((r) => r.status);
    assert(ends.at(-1) === 'final_answer' && records.filter((r) => r.type === 'run').length === 1, `end records ${ends.join(', ')}`);
    const resumeAt = records.findIndex((r) => r.type === 'resume');
    const endsAfterResume = records.slice(resumeAt).filter((r) => r.type === 'end');
    assert(endsAfterResume.length === 1, `after the resume: end records ${endsAfterResume.map((r) => r.status).join(', ')}`);
    return `resumed from step ${resumes[0]}; end records: ${ends.join(', ')}`;
  });
  await check(
    'every call was paid once: summary cost = the call records = what the server billed, plus the one request the reload cut off',
    () => {
      const logged = calls.reduce((sum, call) => sum + call.usd, 0);
      // a request whose window died before its end was written is booked at its worst case, once
      const ended = new Set(calls.map((c) => c.callId));
      const unended = records.filter((r) => r.type === 'call-started' && !ended.has(r.callId));
      assert(
        unended.every((r) => r.step === INTERRUPTED_STEP && r.role === 'planner'),
        `calls started but never ended: ${JSON.stringify(unended)}`,
      );
      assert(unended.length <= 1, `${unended.length} calls started but never ended`);
      const worst = unended.reduce((sum, r) => sum + r.worstCaseUsd, 0);
      assert(
        Math.abs(summary.cost.usd - (logged + worst)) < 1e-12,
        `summary ${summary.cost.usd}, call records ${logged}, cut off without an end ${worst}`,
      );
      // a reply the server finished reporting is booked with the usage it reported, once
      const answered = calls.filter((c) => !c.error);
      const served = fake.requests.filter((r) => r.usage);
      const billed = served.reduce((sum, r) => sum + callCost(priceFor(`openai:${r.body.model}`, PRICES), r.usage), 0);
      const answeredUsd = answered.reduce((sum, call) => sum + call.usd, 0);
      assert(answered.length === served.length, `${answered.length} answered call records, ${served.length} replies served`);
      assert(Math.abs(billed - answeredUsd) < 1e-12, `the server billed ${billed}, the log ${answeredUsd}`);
      const booked = new Map();
      for (const call of answered) booked.set(`step ${call.step} ${call.role}`, (booked.get(`step ${call.step} ${call.role}`) ?? 0) + 1);
      const twice = [...booked].filter(([, n]) => n > 1);
      assert(twice.length === 0, `paid more than once: ${twice.map(([key, n]) => `${key} ×${n}`).join(', ')}`);
      // the request under way at the reload: booked once at most, before the resume, as the client's estimate of its prompt
      const cut = calls.filter((c) => c.error);
      const resumeAt = records.findIndex((r) => r.type === 'resume');
      assert(
        cut.length + unended.length <= 1,
        `${cut.length} failed call records: ${cut.map((c) => `step ${c.step} ${c.role}: ${c.error}`).join('; ')}`,
      );
      assert(
        cut.every((c) => c.step === INTERRUPTED_STEP && c.role === 'planner' && c.usage.output === 0 && records.indexOf(c) < resumeAt),
        `the cut-off call: ${JSON.stringify(cut[0])}`,
      );
      return `${calls.length} call records, ${usd(logged)}: ${served.length} replies served (${usd(billed)})${cut.length ? `, the cut-off step-${INTERRUPTED_STEP} request booked at its estimate ${usd(cut[0].usd)} (${cut[0].error})` : ''}`;
    },
  );
  await check('the fake server was not asked again for the finished steps; only the interrupted one was asked twice', () => {
    const kinds = fake.requests.map(requestKind);
    const after = kinds.slice(askedBeforeReload);
    // the worker of step 2 (Understand File) is asked about train.py; step 4's (Edit Script) gets the edit instruction
    const understands = (k) => k.role === 'worker' && !/Replace the depth-2 decision tree/.test(k.prompt);
    const again = after.filter((k) => (k.role === 'planner' ? k.step <= stepsBeforeReload.length : understands(k)));
    assert(
      again.length === 0,
      `asked again after the reload: ${again.map((k) => (k.role === 'planner' ? `planner step ${k.step}` : 'Understand File worker')).join(', ')}`,
    );
    const plannerSteps = kinds.filter((k) => k.role === 'planner').map((k) => k.step);
    const expected = [1, 2, ...Array.from({ length: STEPS - 2 }, (_, i) => i + 3)];
    expected.splice(INTERRUPTED_STEP - 1, 0, INTERRUPTED_STEP);
    assert(plannerSteps.join() === expected.join(), `planner asked for steps ${plannerSteps.join(', ')}`);
    assert(kinds.filter((k) => k.role === 'worker').length === 2, `${kinds.filter((k) => k.role === 'worker').length} worker requests`);
    return `${askedBeforeReload} requests before the reload, ${after.length} after; planner steps ${plannerSteps.join(', ')}`;
  });
  await check('every planner call went to the planner model, none escalated', () => {
    const models = [...new Set(calls.map((c) => c.model))].sort();
    assert(models.join() === [MODELS.planner, MODELS.worker].sort().join(), `models: ${models.join(', ')}`);
    assert(summary.escalations === 0, `${summary.escalations} escalations`);
  });
  await check('the training edit was applied once and the run improved the metric', () => {
    const train = fs.readFileSync(path.join(workspace, 'train.py'), 'utf8');
    assert((train.match(/Ridge\(alpha=0\.1\)/g) ?? []).length === 1, 'train.py does not hold Ridge(alpha=0.1) once');
    assert(
      summary.success === true && Math.abs(summary.baseline - 46.26) < 0.01 && Math.abs(summary.score - 40.75) < 0.01,
      `baseline ${summary.baseline}, score ${summary.score}`,
    );
    assert(records.filter((r) => r.type === 'score' && r.label === 'baseline').length === 1, 'the baseline was measured again');
    return `${summary.baseline.toFixed(2)} → ${summary.score.toFixed(2)}`;
  });

  let spend;
  await check('the status bar shows the whole spend of the run after the resume (summary.json)', async () => {
    spend = await wb.statusBarItem(page, 'BudgetML spend');
    assert(spend.text === `${usd(summary.cost.usd)} / $1.00`, `status bar "${spend.text}", summary ${usd(summary.cost.usd)}`);
    const resumeAt = records.findIndex((r) => r.type === 'resume');
    const before = calls.filter((c) => records.indexOf(c) < resumeAt).reduce((sum, c) => sum + c.usd, 0);
    assert(before > 0 && summary.cost.usd > before, `spent before the reload ${before}, in all ${summary.cost.usd}`);
    return `${spend.text} (${usd(before)} of it before the reload)`;
  });
  await check('the sidebar shows the resumed run: finished, every step once, the same spend', async () => {
    await wb.openActivity(page, 'BudgetML');
    const sidebar = await wb.findFrame(page, '#app .panel-timeline', 10000);
    await sidebar.locator('#app .phase', { hasText: 'Finished' }).waitFor({ timeout: 10000 });
    const view = await readSidebar(sidebar);
    const header = (await sidebar.locator('#app .run-line').innerText()).replace(/\s+/g, ' ').trim();
    const shown = (await sidebar.locator('#app .panel-timeline .step-no').allTextContents()).map(Number).sort((a, b) => a - b);
    const goalShown = (await sidebar.locator('#app .goal').textContent())?.trim() ?? '';
    assert(goalShown === goal, `goal "${goalShown}"`);
    assert(new RegExp(`step ${STEPS} of 10`).test(header), `header "${header}"`);
    assert(shown.join() === steps.join(), `timeline steps ${shown.join(', ')}`);
    assert(/Final Answer/.test(view.timeline), 'the timeline has no final answer');
    assert(spend?.text.startsWith(`${view.spend} /`), `status bar "${spend?.text}" vs sidebar "${view.spend}"`);
    // the picture: every step of the run once in the timeline, the end notification, the status bar
    await sidebar.locator('#app .panel-timeline').evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
    await page.mouse.move(640, 400);
    const file = await wb.screenshot(page, path.join(SHOTS, 'resumed.png'));
    const bytes = fs.statSync(file).size;
    assert(bytes <= SCREENSHOT_MAX_BYTES, `${path.relative(ROOT, file)} is ${(bytes / 1024).toFixed(0)} KB`);
    return `${header}; ${view.spend}; ${path.relative(ROOT, file)} ${(bytes / 1024).toFixed(0)} KB`;
  });
});

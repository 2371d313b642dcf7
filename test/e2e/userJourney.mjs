#!/usr/bin/env node
// The user journey, end to end, in a real VS Code (code-server + headless Chromium), with approval on
// and everything decided in the BudgetML sidebar: the packaged .vsix is installed into a fresh
// code-server, the sample project is opened, Start Task runs from the palette, and every script run
// and the proposed edit wait as cards in the sidebar ("Waiting for you" there and in the status bar)
// until Run / Accept is clicked there; a note typed into the sidebar reaches the planner's next
// prompt; the training output shows in the terminal; the run ends with a measured final answer. A
// second run is stopped while it waits for a decision: the card and its notification are gone. Then
// the folder is opened again with workspace trust on and not trusted: the sidebar shows the past run
// in Restricted Mode, and Start Task explains that the folder must be trusted.
// The models are a fake OpenAI server over real HTTP, scripted with the recorded diabetes run.
//
//   npm run test:e2e          (node --import tsx test/e2e/userJourney.mjs)
// Environment: CODE_SERVER_BIN (use this code-server), CHROMIUM_BIN (default /usr/bin/chromium),
//   BUDGETML_E2E_PYTHON (default /usr/bin/python3), BUDGETML_E2E_SCREENSHOTS (default media/screenshots),
//   BUDGETML_KEEP_TEST_TMP=1 (keep the temporary folder: server log, workspace, run folder).
import fs from 'node:fs';
import path from 'node:path';
import { assert, check, step } from './lib/checks.mjs';
import { scriptedReplies, fakeModelSettings } from './lib/fakeModels.mjs';
import { readLog, readSidebar, runFolder } from './lib/journey.mjs';
import { runJourney } from './lib/runJourney.mjs';
import { openSampleWorkbench, startTaskWithPrefilledGoal } from './lib/sampleWorkbench.mjs';
import { decide, openSidebar, phase, steer, visibleToasts, waitForDecision, waitForPhase } from './lib/sidebarDriver.mjs';
import { folderUrl, ROOT, startCodeServer, writeUserSettings } from './lib/vscodeServer.mjs';
import * as wb from './lib/workbench.mjs';

const PYTHON = process.env.BUDGETML_E2E_PYTHON || '/usr/bin/python3';
const SHOTS = path.resolve(process.env.BUDGETML_E2E_SCREENSHOTS || path.join(ROOT, 'media', 'screenshots'));
const API_KEY = 'sk-e2e-from-the-environment';
const DIFF_TITLE = 'train.py ↔ BudgetML proposal';
const NOTE = 'Keep the 70/30 split and compare on the test MAE only.';

await runJourney('budgetml-e2e-', async ({ tmp, cleanup, setPage }) => {
  const workspace = path.join(tmp, 'diabetes');
  const { page, fake, server } = await openSampleWorkbench({
    tmp,
    workspace,
    apiKey: API_KEY,
    python: PYTHON,
    replies: scriptedReplies(),
    cleanup,
  });
  setPage(page);

  let sidebar;
  await check('before any run, the sidebar offers the first steps and shows the budget', async () => {
    sidebar = await openSidebar(page);
    await sidebar.locator('#app', { hasText: 'Set API Key' }).waitFor({ timeout: 20000 });
    const text = (await sidebar.locator('#app').innerText()).replace(/\s+/g, ' ');
    for (const offer of ['Set API Key', 'Create a Task File', 'Select Models', 'Test Connection'])
      assert(text.includes(offer), `no "${offer}" in: ${text.slice(0, 400)}`);
    assert(/\$1\.00/.test(text), `no budget in: ${text.slice(0, 400)}`);
    await wb.screenshot(page, path.join(SHOTS, 'welcome.png'));
  });

  await startTaskWithPrefilledGoal(page, workspace);

  const ran = [];
  let waiting;
  await step('the baseline run waits as a card in the sidebar, and the status bar says Waiting for you', async () => {
    const card = await waitForDecision(sidebar);
    assert(card.kind === 'run' && /Run \S*python3? train\.py\?/.test(card.text), card.text);
    assert(
      card.labels.some((l) => /^Run\|Run the script of step \d+$/.test(l)) && card.labels.some((l) => /^Decline\|/.test(l)),
      card.labels.join(' / '),
    );
    assert((await phase(sidebar)) === 'Waiting for you', `the run header says "${await phase(sidebar)}"`);
    waiting = await wb.statusBarItem(page, 'BudgetML is waiting for you');
    assert(/Waiting for you/.test(waiting.text), `status bar: "${waiting.text}"`);
    await wb.screenshot(page, path.join(SHOTS, 'decision-run.png'));
    await decide(sidebar, card, 'Run');
    ran.push(card.text);
    return waiting.text;
  });

  let edit;
  await step('Run in the sidebar for each script until the edit waits; its card shows the hunks and opens the diff', async () => {
    for (;;) {
      const card = await waitForDecision(sidebar, { timeout: 60000 });
      if (card.kind === 'edit') {
        edit = card;
        break;
      }
      await decide(sidebar, card, 'Run');
      ran.push(card.text);
    }
    assert(/train\.py/.test(edit.text) && /hunk/.test(edit.text), edit.text);
    assert(
      edit.labels.some((l) => /^Accept\|Accept the edit of step \d+ to train\.py$/.test(l)),
      edit.labels.join(' / '),
    );
    await page.locator('.tabs-container .tab', { hasText: DIFF_TITLE }).first().waitFor({ timeout: 15000 });
    await page.locator('.monaco-diff-editor .editor.modified .view-lines').filter({ hasText: 'Ridge' }).first().waitFor({ timeout: 10000 });
    await wb.screenshot(page, path.join(SHOTS, 'diff-review.png'));
    return `${ran.length} runs approved, then ${edit.text.slice(0, 80)}`;
  });

  let noteSentAt;
  await step('Accept in the sidebar applies the edit; a note for the planner goes from the steering box', async () => {
    await decide(sidebar, edit, 'Accept');
    await page.locator('.tabs-container .tab', { hasText: DIFF_TITLE }).waitFor({ state: 'detached', timeout: 10000 });
    assert(/Ridge\(alpha=0\.1\)/.test(fs.readFileSync(path.join(workspace, 'train.py'), 'utf8')), 'train.py on disk has no Ridge');
    noteSentAt = fake.requests.length;
    await steer(sidebar, NOTE);
    await wb.screenshot(page, path.join(SHOTS, 'steering.png'));
  });

  await step('the next script run is a card again; Run in the sidebar shows the training in the terminal', async () => {
    const card = await waitForDecision(sidebar, { other: edit.id });
    assert(card.kind === 'run', card.text);
    await decide(sidebar, card, 'Run');
    ran.push(card.text);
    await wb.waitForTerminal(page, /test MAE: 40\.7\d\d/, 30000);
    await wb.screenshot(page, path.join(SHOTS, 'terminal.png'));
  });

  let ended;
  await step('the final scoring waits for Run; the run ends with a final answer and no notification is left asking', async () => {
    const card = await waitForDecision(sidebar, { timeout: 60000 });
    await decide(sidebar, card, 'Run');
    ran.push(card.text);
    await waitForPhase(sidebar, /^Finished/, 60000);
    const done = wb.toast(page, 'BudgetML run ended');
    await done.waitFor({ state: 'visible', timeout: 30000 });
    ended = (await done.locator('.notification-list-item-message').textContent()) ?? '';
    assert(/\(final answer\)/.test(ended), ended);
    const stale = (await visibleToasts(page)).filter((t) => /wants to run|proposes an edit/.test(t));
    assert(stale.length === 0, `still asking: ${stale.join(' | ')}`);
    return ended;
  });
  await check("the note reached the planner's next prompt and the log", () => {
    const later = fake.requests.slice(noteSentAt).map((r) => JSON.stringify(r.body?.messages ?? []));
    assert(
      later.some((prompt) => prompt.includes(NOTE) && /You are a planner solving/.test(prompt)),
      `no planner prompt after the note holds it (${later.length} requests since)`,
    );
    assert(
      readLog(runFolder(workspace)).some((r) => r.type === 'user-note' && r.text === NOTE),
      'no user-note record',
    );
  });

  await check('five script runs were asked for, each approved in the sidebar', () =>
    assert(ran.length === 5, `${ran.length}: ${ran.join(' | ')}`),
  );

  await check('summary.json says success with the improved metric; the status bar and the sidebar show its spend', async () => {
    const summary = JSON.parse(fs.readFileSync(path.join(runFolder(workspace), 'summary.json'), 'utf8'));
    assert(summary.success === true && summary.status === 'final_answer', JSON.stringify(summary).slice(0, 300));
    assert(
      Math.abs(summary.baseline - 46.26) < 0.01 && Math.abs(summary.score - 40.75) < 0.01,
      `baseline ${summary.baseline}, score ${summary.score}`,
    );
    const status = await wb.statusBarItem(page, 'BudgetML spend');
    const view = await readSidebar(sidebar);
    assert(status.text.endsWith(`${view.spend} / $1.00`), `status bar "${status.text}" vs sidebar "${view.spend}"`);
    assert(
      fake.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`),
      'a request without the key',
    );
    await sidebar.locator('#app .panel-metrics').evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
    await page.mouse.move(640, 400);
    await wb.screenshot(page, path.join(SHOTS, 'final.png'));
    return `${summary.baseline} → ${summary.score}, ${status.text}`;
  });

  await step('a second run is stopped while its first script waits: the card and its notification go, nothing runs', async () => {
    await startTaskWithPrefilledGoal(page, workspace);
    const card = await waitForDecision(sidebar, { timeout: 60000 });
    const asking = wb.toast(page, /wants to run/);
    await asking.waitFor({ state: 'visible', timeout: 15000 });
    await sidebar.locator('#app button[data-intent="stop"]').click();
    await waitForPhase(sidebar, /^Stopped/, 30000);
    await asking.waitFor({ state: 'hidden', timeout: 10000 });
    assert((await sidebar.locator(`#app section.decision button[data-id="${card.id}"]`).count()) === 0, 'the card is still there');
    const status = await wb.statusBarItem(page, 'BudgetML spend');
    assert(!/Waiting for you/.test(status.text), `status bar: "${status.text}"`);
    return `${await phase(sidebar)}; status bar "${status.text}"`;
  });

  await server.stop();
  await step('opened again with workspace trust on and not trusted: the sidebar shows the past run in Restricted Mode', async () => {
    const userData = path.join(tmp, 'user-data-untrusted');
    writeUserSettings(userData, {
      ...fakeModelSettings(fake.url, PYTHON),
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'always',
    });
    const home = path.join(tmp, 'untrusted');
    fs.mkdirSync(home, { recursive: true });
    const untrusted = await startCodeServer({
      bin: server.bin,
      home,
      userDataDir: userData,
      extensionsDir: server.extensions,
      env: server.env,
      trust: true,
    });
    cleanup.push(() => untrusted.stop());
    const browser = await wb.launchBrowser(path.join(tmp, 'chromium-untrusted'));
    cleanup.push(() => browser.context.close());
    const restricted = browser.page;
    setPage(restricted);
    await restricted.goto(folderUrl(untrusted.url, workspace));
    const no = restricted.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust/ }).first();
    await no.waitFor({ timeout: 60000 });
    await no.click();
    await restricted.locator('.explorer-folders-view .monaco-list-row', { hasText: 'train.py' }).first().waitFor({ timeout: 30000 });
    const frame = await openSidebar(restricted, 30000);
    await frame.locator('#app', { hasText: 'Restricted Mode' }).waitFor({ timeout: 20000 });
    const text = (await frame.locator('#app').innerText()).replace(/\s+/g, ' ');
    assert(/Manage Workspace Trust/.test(text), text.slice(0, 300));
    assert(/Stopped/.test(text), `the past run is not shown: ${text.slice(0, 300)}`);
    assert((await frame.locator('#app button[data-intent="start"]').count()) === 0, 'Start is offered in Restricted Mode');
    await wb.screenshot(restricted, path.join(SHOTS, 'restricted.png'));
    await wb.runCommand(restricted, 'BudgetML: Start Task');
    await wb.toast(restricted, /needs a trusted folder/).waitFor({ state: 'visible', timeout: 15000 });
    return text.slice(0, 120);
  });
});

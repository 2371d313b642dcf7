#!/usr/bin/env node
// The Experiments view, end to end, in a real VS Code (code-server + headless Chromium): the sample
// project gets a run folder recorded elsewhere (test/integration/fixtures/experimentRuns: a baseline
// and three Execute Script runs of classify.py), and the user opens the BudgetML activity bar icon,
// sees the run and its experiments in the Experiments view, runs "BudgetML: Compare Experiments"
// from the command palette choosing two experiments in the quick picks (the code diff and the
// comparison panel open), and "BudgetML: Restore Experiment Code", confirming the modal: the file
// on disk is as the experiment ran it, and Ctrl+Z takes it back.
//
//   node --import tsx test/e2e/experiments.mjs      (part of npm run test:e2e)
// Environment: as test/e2e/userJourney.mjs (CODE_SERVER_BIN, CHROMIUM_BIN, BUDGETML_E2E_PYTHON,
//   BUDGETML_E2E_SCREENSHOTS, BUDGETML_KEEP_TEST_TMP=1).
import fs from 'node:fs';
import path from 'node:path';
import { assert, check, step } from './lib/checks.mjs';
import { runJourney } from './lib/runJourney.mjs';
import { openSampleWorkbench } from './lib/sampleWorkbench.mjs';
import { ROOT } from './lib/vscodeServer.mjs';
import * as wb from './lib/workbench.mjs';

const PYTHON = process.env.BUDGETML_E2E_PYTHON || '/usr/bin/python3';
const SHOTS = path.resolve(process.env.BUDGETML_E2E_SCREENSHOTS || path.join(ROOT, 'media', 'screenshots'));
const RUN_ID = '2026-11-20T09-15-42-k3xq';
const FIXTURE = path.join(ROOT, 'test', 'integration', 'fixtures', 'experimentRuns', RUN_ID);
const SCRIPT = 'classify.py';
const DIFF_TITLE = 'classify.py (#2 ↔ #3)';
const PANEL_TITLE = 'Compare #2 ↔ #3';

let page;

/** The text experiment `id` of the fixture ran. */
function snapshotText(id) {
  const records = fs
    .readFileSync(path.join(FIXTURE, 'experiments.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return fs.readFileSync(path.join(FIXTURE, 'code', records.find((r) => r.id === id).code[SCRIPT]), 'utf8');
}

/** The pane of the BudgetML container titled `title` ("Agent", "Experiments"). */
function pane(title) {
  return page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label^="${title}"]`) }).first();
}

/** Expands or collapses a pane of the side bar by clicking its header, as a user does. */
async function setPaneExpanded(title, expanded) {
  const header = pane(title).locator('.pane-header').first();
  await header.waitFor({ timeout: 10000 });
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
  await page.waitForFunction(
    ([t, e]) => document.querySelector(`.part.sidebar .pane-header[aria-label^="${t}"]`)?.getAttribute('aria-expanded') === String(e),
    [title, expanded],
  );
}

/** The rows of the Experiments tree as the user reads them: label and description. */
async function treeRows() {
  return pane('Experiments')
    .locator('.monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((row) =>
        `${row.querySelector('.label-name')?.textContent ?? ''} | ${row.querySelector('.label-description')?.textContent ?? ''}`.trim(),
      ),
    );
}

/** Types into the open quick pick and takes the first row that matches; returns that row's text. */
async function choose(title, text) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 15000 });
  await widget.locator('input.input').fill(text);
  const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 10000 });
  const label = (await row.innerText()).replace(/\s+/g, ' ').trim();
  await page.keyboard.press('Enter');
  return label;
}

/** Makes the side bar wider by dragging its edge, so the tree's descriptions show. */
async function widenSideBar(by) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const x = box.x + box.width - 1;
  await page.mouse.move(x, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(x + by, box.y + 200, { steps: 8 });
  await page.mouse.up();
}

await runJourney('budgetml-e2e-experiments-', async ({ tmp, cleanup, setPage }) => {
  const workspace = path.join(tmp, 'diabetes');
  // the screenshots are taken in the dark theme; no model is asked
  const settings = { 'workbench.colorTheme': 'Default Dark Modern' };
  ({ page } = await openSampleWorkbench({ tmp, workspace, apiKey: 'sk-unused', python: PYTHON, replies: [], settings, cleanup }));
  setPage(page);

  await step('a run recorded elsewhere (the CLI) is in the workspace: .budgetml/runs/<id> with experiments.jsonl and code/', () => {
    fs.cpSync(FIXTURE, path.join(workspace, '.budgetml', 'runs', RUN_ID), { recursive: true });
    fs.writeFileSync(path.join(workspace, SCRIPT), snapshotText(4));
    return `${fs.readdirSync(path.join(FIXTURE, 'code')).length} snapshots`;
  });

  await step('the BudgetML activity bar icon shows the Experiments view: the run with its verdict, its four experiments', async () => {
    await wb.openActivity(page, 'BudgetML');
    await setPaneExpanded('Agent', false);
    await setPaneExpanded('Experiments', true);
    await widenSideBar(260);
    await pane('Experiments').locator('.monaco-list-row', { hasText: '#4 step 5' }).waitFor({ timeout: 20000 });
    const rows = await treeRows();
    assert(rows[0] === 'Raise the test accuracy of classify.py… | improved 0.7139 → 0.9722 (+36 %)', `run row: "${rows[0]}"`);
    assert(rows[3] === '#3 step 4 · classify.py | test accuracy 0.9722 · 14.9 s · lr 0.01→0.001, hidden_units 64→128', `#3: "${rows[3]}"`);
    assert(rows[4] === '#4 step 5 · classify.py | failed (exit code 1) · 1.5 s · lr 0.001→0', `#4: "${rows[4]}"`);
    return `${rows.length} rows`;
  });

  await check('hovering an experiment shows its record: command, metrics, what changed, environment', async () => {
    const row = pane('Experiments').locator('.monaco-list-row', { hasText: '#3 step 4' }).first();
    await row.click();
    const hover = page.locator('.workbench-hover, .monaco-hover', { hasText: 'Changed since #2' }).first();
    // a hover starts when the pointer comes in; a tree redrawn under a still pointer shows none, so come in again
    for (let attempt = 1; ; attempt++) {
      assert(attempt <= 4, 'no hover after 4 attempts');
      await page.mouse.move(900, 600);
      await row.hover({ position: { x: 120, y: 10 } });
      if (
        !(await hover.waitFor({ state: 'visible', timeout: 4000 }).then(
          () => true,
          () => false,
        ))
      )
        continue;
      await page.waitForTimeout(300);
      const text = await hover.innerText();
      assert(/python classify\.py/.test(text) && /test accuracy/.test(text) && /sklearn 1\.5\.2/.test(text), text);
      await wb.screenshot(page, path.join(SHOTS, 'experiments.png'));
      if (await hover.isVisible()) break;
    }
    await page.mouse.move(900, 600);
  });

  await step('F1 → "BudgetML: Compare Experiments": two quick picks, #2 then #3', async () => {
    // room for the diff and the panel side by side
    await wb.runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 5000 });
    await wb.runCommand(page, 'BudgetML: Compare Experiments');
    const first = await choose('Compare Experiments (1/2)', '#2 step 2');
    const second = await choose('Compare Experiments (2/2)', '#3 step 4');
    return `${first} / ${second}`;
  });

  await check(`the diff editor "${DIFF_TITLE}" shows the two snapshots; the panel "${PANEL_TITLE}" the comparison`, async () => {
    await page.locator('.tabs-container .tab', { hasText: DIFF_TITLE }).first().waitFor({ timeout: 15000 });
    await page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'lr = 0.001' }).first().waitFor({ timeout: 10000 });
    await page.locator('.monaco-diff-editor .editor.original .view-lines', { hasText: 'lr = 0.01' }).first().waitFor({ timeout: 10000 });
    await page
      .locator('.tabs-container .tab .label-name', { hasText: PANEL_TITLE })
      .first()
      .waitFor({ timeout: 15000 })
      .catch(async () => assert(false, `tabs: ${(await wb.tabTitles(page)).join(', ')}`));
    const panel = await wb.findFrame(page, '#comparison', 15000);
    const better = await panel.locator('#comparison td.better').first().innerText();
    assert(better.replace(/\s+/g, ' ') === '0.9722 better', `the better cell: "${better}"`);
    const rows = await panel
      .locator('#comparison tr.changed')
      .evaluateAll((trs) => trs.map((tr) => tr.innerText.replace(/\s+/g, ' ').trim()));
    assert(
      rows.some((r) => r === 'sklearn 1.5.1 1.5.2'),
      `changed rows: ${rows.join(' | ')}`,
    );
    await page.waitForTimeout(500);
    await wb.screenshot(page, path.join(SHOTS, 'compare.png'));
    return `${rows.length} rows that differ`;
  });

  await step('F1 → "BudgetML: Restore Experiment Code", #3, the modal names classify.py; Restore writes it', async () => {
    await wb.runCommand(page, 'BudgetML: Restore Experiment Code');
    await choose('Restore Experiment Code', '#3 step 4');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Restore the code of #3 step 4 · classify.py?' });
    await dialog.waitFor({ timeout: 15000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert(/This replaces classify\.py with the text the experiment ran/.test(text), text);
    await dialog.locator('.monaco-button', { hasText: /^Restore$/ }).click();
    const deadline = Date.now() + 15000;
    while (fs.readFileSync(path.join(workspace, SCRIPT), 'utf8') !== snapshotText(3)) {
      assert(Date.now() < deadline, `classify.py on disk:\n${fs.readFileSync(path.join(workspace, SCRIPT), 'utf8')}`);
      await page.waitForTimeout(100);
    }
  });

  await check('the restored file is open; Ctrl+Z brings the text before the restore back', async () => {
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.filter({ hasText: 'lr = 0.001' }).waitFor({ timeout: 10000 });
    const before = editor.filter({ hasText: 'lr = 0' }).filter({ hasNotText: 'lr = 0.001' });
    // the keyboard goes to the editor once it has the focus; another Ctrl+Z has nothing more to undo
    for (let attempt = 1; !(await before.isVisible()); attempt++) {
      if (attempt > 3) await wb.screenshot(page, path.join(tmp, 'undo.png'));
      assert(attempt <= 3, `Ctrl+Z did not undo the restore; the editor shows:\n${await editor.innerText()}`);
      await editor.click({ position: { x: 200, y: 10 } });
      await page.waitForTimeout(300);
      await page.keyboard.press('Control+Z');
      // the undo puts the cursor where the text changed; the lines checked are at the top
      await page.keyboard.press('Control+Home');
      await before.waitFor({ timeout: 3000 }).catch(() => undefined);
    }
  });
});

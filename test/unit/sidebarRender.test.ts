import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SIDEBAR_STYLESHEETS as STYLESHEETS, sidebarHtml } from '../../src/host/sidebar/sidebarHtml';
import { emptySidebarView, type SidebarView } from '../../src/shared/viewModels';
import { EDIT_DECISION, endedView, foldView, MID_RUN, noTaskView, realisticView, RUN_DECISION } from './sidebarRenderFixture';
import { THEMES, themeCss } from './sidebarThemes';

/**
 * The sidebar outside VS Code: the real bundle and stylesheets, the production page and CSP, a stub
 * for acquireVsCodeApi, VS Code theme variables; headless Chromium at 250 and 400 px.
 */

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const SHOTS = join(__dirname, 'screenshots');
const NONCE = 'test-nonce-0123456789';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: the sidebar render check needs Debian's chromium package`;

/**
 * acquireVsCodeApi as VS Code gives it, plus the host's side of the handshake: `ready` is answered
 * with the whole view (the one in sessionStorage "hostView", else the fixture). Records what the page
 * posts and every CSP violation; setState lives in sessionStorage, so a reload restores it.
 */
function stub(view: SidebarView): string {
  return `
const HOST_VIEW = ${JSON.stringify(view)};
window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
function answer(message) {
  if (message.type !== 'ready') return;
  const saved = sessionStorage.getItem('hostView');
  const view = saved ? JSON.parse(saved) : HOST_VIEW;
  setTimeout(() => { window.postMessage({ type: 'state', view }, '*'); window.__answered = true; }, 0);
}
window.acquireVsCodeApi = () => ({
  postMessage: (m) => { window.__posted.push({ ...m, at: performance.now() }); answer(m); },
  getState: () => { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; },
  setState: (s) => { sessionStorage.setItem('state', JSON.stringify(s)); return s; },
});`;
}

let dir: string;
let server: Server;
let origin: string;
let browser: Browser;
const view = realisticView();

function page(theme: keyof typeof THEMES): string {
  const html = sidebarHtml({
    cspSource: origin,
    scriptUri: `${origin}/webview.js`,
    styleUris: STYLESHEETS.map((name) => `${origin}/${name}`),
    nonce: NONCE,
  });
  return html
    .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme-${theme}.css">\n<link rel="stylesheet"`)
    .replace(`<script nonce="${NONCE}"`, `<script nonce="${NONCE}" src="${origin}/stub.js"></script>\n<script nonce="${NONCE}"`);
}

function serve(root: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const s = createServer((req, res) => {
    const file = join(root, (req.url ?? '/').split('?')[0]);
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((done) => s.listen(0, '127.0.0.1', () => done(s)));
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'budgetml-sidebar-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-webview.mjs'), join(dir, 'webview.js')], { cwd: ROOT });
  for (const name of STYLESHEETS) copyFileSync(join(ROOT, 'media', name), join(dir, name));
  writeFileSync(join(dir, 'stub.js'), stub(view));
  server = await serve(dir);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const theme of Object.keys(THEMES) as (keyof typeof THEMES)[]) {
    writeFileSync(join(dir, `theme-${theme}.css`), themeCss(THEMES[theme]));
    writeFileSync(join(dir, `${theme}.html`), page(theme));
  }
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Posted = { type: string; at: number; [key: string]: unknown };
const posted = (p: Page) => p.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
const violations = (p: Page) => p.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

/** Opens the page and waits for its first render (from the host's answer to `ready`). */
async function open(theme: keyof typeof THEMES, width: number): Promise<{ page: Page; rendered: Posted }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${origin}/${theme}.html`);
  return { page, rendered: await firstRender(page) };
}

async function firstRender(p: Page): Promise<Posted> {
  await p.waitForFunction(() => (window as unknown as { __posted: Posted[] }).__posted.some((m) => m.type === 'rendered'));
  return (await posted(p)).find((m) => m.type === 'rendered')!;
}

const text = (p: Page, selector: string) => p.locator(selector).first().innerText();
/** The text as written, without the line breaks a flex row gets from innerText. */
const words = async (p: Page, selector: string) => ((await p.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
const colour = (p: Page, selector: string) =>
  p
    .locator(selector)
    .first()
    .evaluate((e) => getComputedStyle(e).color);

/** `#cca700` → `rgb(204, 167, 0)`, as getComputedStyle writes it. */
function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** The host sends another whole view; resolves once it is drawn. */
async function showView(p: Page, shown: SidebarView): Promise<void> {
  await p.evaluate((v) => window.postMessage({ type: 'state', view: v }, '*'), shown);
  await p.waitForFunction((id) => document.querySelector('.goal')?.getAttribute('title') === id, shown.run?.goal ?? '');
}

describe('the sidebar in Chromium', { skip }, () => {
  for (const [theme, width] of [
    ['dark', 250],
    ['dark', 400],
    ['light', 250],
    ['light', 400],
    ['hc', 250],
  ] as const) {
    test(`${theme} theme at ${width} px: every panel renders, nothing overflows`, async (t) => {
      const { page: p, rendered } = await open(theme, width);
      assert.equal(rendered.source, 'host');
      t.diagnostic(
        `first render: ${rendered.ms} ms from script start (drawing ${rendered.drawMs} ms), ${rendered.at.toFixed(1)} ms from navigation`,
      );
      for (const title of ['Run', 'Plan', 'Fact check', 'Cost', 'Metrics', 'Timeline']) {
        assert.ok(await p.locator('.panel-title', { hasText: title }).isVisible(), `${title} panel`);
      }
      assert.ok(await p.locator('.badge.replay').isVisible(), 'the Replay badge');
      assert.equal(await p.locator('mark.fresh').count(), 2, 'the bold plan updates are highlighted');
      assert.equal(await p.locator('.fact .badge.confirmed').count(), 2);
      assert.equal(await p.locator('.fact .badge.guessed').count(), 1);
      assert.equal(await p.locator('.budget-bar.level-warning').count(), 1, 'spend at 87 % shows the warning colour');
      assert.match(await text(p, '.spend'), /^~\$0\.0437$/);
      assert.equal(await p.locator('.escalations li').count(), 1);
      assert.equal(await p.locator('.lifelines .dot.left').count(), 4);
      assert.equal(await p.locator('svg.chart polyline.score-line').count(), 1);
      assert.equal(await p.locator('svg.chart .baseline-line').getAttribute('stroke-dasharray'), '4 3');
      assert.equal(await p.locator('svg.chart circle').count(), 3);
      assert.equal(await p.locator('.timeline .step').count(), 6);
      assert.equal(await text(p, '.phase'), 'Waiting for you', 'an edit waits for review');
      assert.equal(await p.locator('.timeline .step.running').count(), 1);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      const chartWidth = await p.locator('svg.chart').evaluate((e) => e.getBoundingClientRect().right);
      assert.ok(chartWidth <= width, `the chart ends at ${chartWidth} px`);
      assert.deepEqual(await violations(p), []);
      await p.screenshot({ path: join(SHOTS, `sidebar-${theme}-${width}.png`), fullPage: true });
      await p.close();
    });
  }

  for (const theme of ['dark', 'light', 'hc'] as const) {
    test(`${theme} theme: an ended run shows its verdict, unverified claim, failed step and chart in theme colours`, async () => {
      const { page: p } = await open(theme, 300);
      await showView(p, endedView());
      const colours = THEMES[theme];
      assert.equal(await text(p, '.phase'), 'Finished — not improved');
      assert.equal(await colour(p, '.phase'), rgb(colours['editorWarning-foreground']), 'not green: the verdict says not improved');
      assert.match(
        await text(p, '.verdict'),
        /Not improved\s+9\.4 % better[\s\S]*baseline 46\.26 → final 41\.9[\s\S]*mae · ↓ lower is better[\s\S]*Success means the final score is more than 10 % better/,
      );
      assert.equal(await colour(p, '.verdict-head'), rgb(colours['editorWarning-foreground']));
      assert.equal(await text(p, '.claim-head'), 'Unverified: 38.2 — no experiment measured it');
      assert.equal(await colour(p, '.claim-head'), rgb(colours['editorWarning-foreground']));
      assert.match(await text(p, '.claim-context'), /^final answer: “Gradient boosting reaches a test MAE of 38\.2/);
      assert.equal(await p.locator('.timeline .step.failed').count(), 1);
      assert.match(await text(p, '.step.failed .step-error'), /^Failed: InvalidParameterError: The 'learning_rate' parameter/);
      assert.equal(await colour(p, '.step.failed .step-error'), rgb(colours.errorForeground));
      assert.equal(await p.locator('.step.failed .step-head svg.icon-error').count(), 1);
      assert.equal(await text(p, '.fact-unconfirmed .fact-note'), 'claimed confirmed, no measurement found');
      assert.equal(await colour(p, '.fact-unconfirmed .fact-note'), rgb(colours['editorWarning-foreground']));
      assert.equal(await p.locator('svg.chart .axis-label').textContent(), 'mae ↓');
      assert.deepEqual(await p.locator('svg.chart .tick').allTextContents(), ['42', '44', '46', 'step 0', '10']);
      assert.equal(await p.locator('svg.chart circle').count(), 5);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      assert.deepEqual(await violations(p), []);
      await p.screenshot({ path: join(SHOTS, `sidebar-ended-${theme}.png`), fullPage: true });
      await p.close();
    });

    test(`${theme} theme: without a task, the chart plots the test accuracy the script prints on its real scale`, async () => {
      const { page: p } = await open(theme, 300);
      await showView(p, noTaskView());
      assert.equal(await p.locator('svg.chart .axis-label').textContent(), 'test accuracy ↑');
      assert.deepEqual(await p.locator('svg.chart .tick').allTextContents(), ['0.965', '0.970', '0.975', '0.980', 'step 0', '2']);
      assert.equal(await p.locator('svg.chart circle.point-running').count(), 1, 'the running script’s value');
      const ys = await p.locator('svg.chart circle').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
      assert.ok(Math.max(...ys) - Math.min(...ys) < 20, `a 0.0012 spread stays small: ${ys.join(', ')}`);
      assert.deepEqual(await p.locator('.metric-choice').allTextContents(), ['test accuracy', 'val accuracy', 'loss']);
      assert.equal(await p.locator('.metric-choice[aria-pressed="true"]').textContent(), 'test accuracy');
      await p.locator('.metric-choice', { hasText: 'loss' }).click();
      const last = (await posted(p)).filter((m) => m.type === 'chooseMetric').map(({ at: _at, ...m }) => m);
      assert.deepEqual(last, [{ type: 'chooseMetric', metric: 'loss' }]);
      assert.deepEqual(await violations(p), []);
      await p.locator('.panel-metrics').screenshot({ path: join(SHOTS, `sidebar-metrics-${theme}.png`) });
      await p.close();
    });
  }

  test('buttons and links post intents; disabled buttons post nothing', async () => {
    const { page: p } = await open('dark', 300);
    await p.locator('button[data-intent="askExpert"]').click({ force: true });
    await p.locator('button[data-intent="start"]').click({ force: true });
    await p.locator('.fact .evidence').first().click();
    await p.locator('.timeline .step-head').nth(1).click();
    await p.locator('.chips button', { hasText: 'output' }).first().click();
    await p.locator('button[data-ui="toggleHistory"]').click();
    assert.ok(await p.locator('.history-list li').first().isVisible());
    await p.locator('button[data-intent="showHistory"]').click();
    const intents = (await posted(p)).filter((m) => !['ready', 'rendered'].includes(m.type)).map(({ at: _at, ...m }) => m);
    assert.deepEqual(intents, [
      { type: 'openExperiment', id: 4, cite: '40.748' },
      { type: 'openArtifact', step: 5, kind: 'output' },
      { type: 'openArtifact', step: 5, kind: 'output' },
      { type: 'showHistory' },
    ]);
    assert.ok(await p.locator('button[data-intent="start"]').isDisabled(), 'Start is off while a run goes');
    assert.ok(await p.locator('button[data-intent="askExpert"]').isDisabled(), 'a replay has no expert');
    await p.close();
  });

  test('a patch redraws only what changed; a reload restores the view before the host answers', async () => {
    const { page: p } = await open('light', 250);
    const ended: Partial<SidebarView> = {
      cost: { ...view.cost, usd: 0.052, streaming: false },
      run: { ...view.run!, status: 'budget_exhausted', message: 'the budget is spent' },
    };
    await p.evaluate((patch) => window.postMessage({ type: 'patch', view: patch }, '*'), ended);
    await p.evaluate((latest) => sessionStorage.setItem('hostView', JSON.stringify(latest)), { ...view, ...ended });
    await p.locator('.budget-bar.level-over').waitFor();
    assert.equal(await text(p, '.spend'), '$0.0520');
    assert.ok(await p.locator('button[data-intent="start"]').isEnabled(), 'Start is on once the run ended');
    await p.locator('.panel-timeline > summary').click();
    await p.reload();
    const first = await firstRender(p);
    assert.equal(first.source, 'restored');
    const ready = (await posted(p)).find((m) => m.type === 'ready')!;
    assert.ok(first.at <= ready.at, 'drawn from the saved state before asking the host');
    assert.equal(await text(p, '.spend'), '$0.0520');
    assert.equal(await p.locator('.panel-timeline').getAttribute('open'), null, 'a collapsed panel stays collapsed');
    await p.waitForFunction(() => (window as unknown as { __answered?: boolean }).__answered === true);
    assert.equal(
      await text(p, '.phase'),
      'Stopped before the next step: the budget cannot pay for it',
      'the host’s answer keeps the restored view',
    );
    assert.equal(await text(p, '.run-message'), 'the budget is spent');
    await p.close();
  });
});
/** Views of the moment: a decision waiting, the model writing, a script running, the empty and the restricted sidebar. */
function running(): SidebarView {
  return { ...foldView(MID_RUN), decision: null, now: null };
}
const SECOND = 1000;
const nowModel = (): SidebarView => ({
  ...running(),
  now: {
    kind: 'model',
    role: 'planner',
    model: 'gemini:gemini-2.5-flash',
    startedAt: Date.now() - 12 * SECOND,
    thought: 'Gradient boosting should beat Ridge on this small tabular set; add it and keep the better of the two models by test MAE.',
  },
});
const nowScript = (): SidebarView => ({
  ...running(),
  now: { kind: 'script', command: 'python train.py', startedAt: Date.now() - 42 * SECOND, lastLine: 'fold 2/3 done', timeoutSec: 600 },
});
const SETUP = {
  trusted: true,
  readyProviders: ['gemini'],
  neededProviders: ['gemini', 'openai'],
  models: {
    planner: ['gemini:gemini-2.5-flash', 'openai:gpt-4.1-mini'],
    worker: ['gemini:gemini-2.5-flash-lite'],
    expert: 'openai:gpt-4.1',
  },
  hasTaskFile: false,
};
const empty = (): SidebarView => ({ ...emptySidebarView(3, 0.5), setup: SETUP });
const restricted = (): SidebarView => ({ ...endedView(), setup: { ...SETUP, trusted: false } });

const intentsOf = async (p: Page) => (await posted(p)).filter((m) => !['ready', 'rendered'].includes(m.type)).map(({ at: _at, ...m }) => m);

/** The host sends a view without a run goal to wait for: resolves once `selector` shows. */
async function showAndWait(p: Page, shown: SidebarView, selector: string): Promise<void> {
  await p.evaluate((v) => window.postMessage({ type: 'state', view: v }, '*'), shown);
  await p.locator(selector).first().waitFor();
}

const STATES: [string, () => SidebarView, string][] = [
  ['decision-run', () => ({ ...running(), decision: RUN_DECISION }), '.decision-run'],
  ['decision-edit', () => ({ ...running(), decision: EDIT_DECISION }), '.decision-edit'],
  ['now-model', nowModel, '.now-model'],
  ['now-script', nowScript, '.now-script'],
  ['empty', empty, '.welcome-buttons'],
  ['restricted', restricted, '.restricted:not([hidden])'],
];

describe('the sidebar’s decisions, Now line, steering and setup in Chromium', { skip }, () => {
  for (const theme of ['light', 'dark', 'hc'] as const) {
    for (const width of [250, 450]) {
      test(`${theme} at ${width} px: every state fits`, async () => {
        const { page: p } = await open(theme, width);
        for (const [name, make, selector] of STATES) {
          await showAndWait(p, make(), selector);
          const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow} px`);
          await p.screenshot({ path: join(SHOTS, `state-${name}-${theme}-${width}.png`), clip: { x: 0, y: 0, width, height: 520 } });
        }
        assert.deepEqual(await violations(p), []);
        await p.close();
      });
    }
  }

  test('a run decision: exact labels, named for its step, focused, posts decide with the reason', async () => {
    const { page: p } = await open('dark', 300);
    await showAndWait(p, { ...running(), decision: RUN_DECISION }, '.decision-run');
    assert.equal(await text(p, '.phase'), 'Waiting for you');
    assert.match(await text(p, '.decision-question'), /^Run python train\.py --epochs 3\?$/);
    assert.match(await text(p, '.decision-run'), /in experiments\/diabetes · time limit 600 s/);
    assert.deepEqual(await p.locator('.decision .buttons button').allTextContents(), ['Run', 'Decline']);
    assert.equal(await p.locator('.decision .buttons button').first().getAttribute('aria-label'), 'Run the script of step 7');
    assert.equal(
      await p.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Decision for step 7',
      'the new decision card takes the focus, not its Run button',
    );
    await p.locator('.decision textarea.reason').fill('Use the small split first.');
    await p.getByRole('button', { name: 'Decline the script of step 7' }).click();
    assert.deepEqual(await intentsOf(p), [{ type: 'decide', id: 'run-7', choice: 'decline', reason: 'Use the small split first.' }]);
    assert.ok(await p.locator('.decision .buttons button').first().isDisabled(), 'one answer per decision');
    await p.close();
  });

  test('an answer the host ignored: the card’s buttons work again, the typed reason stays', async () => {
    const { page: p } = await open('dark', 300);
    const waiting = { ...running(), decision: RUN_DECISION };
    await showAndWait(p, waiting, '.decision-run');
    const buttons = p.locator('.decision .buttons button');
    await p.locator('.decision textarea.reason').fill('Use the small split first.');
    await p.getByRole('button', { name: 'Run the script of step 7' }).click();
    assert.ok(await buttons.first().isDisabled(), 'off while the host takes the answer');
    // the next view for the same decision: it still waits
    await p.evaluate((decision) => window.postMessage({ type: 'patch', view: { decision } }, '*'), RUN_DECISION);
    await p.waitForFunction(() => document.querySelectorAll('.decision .buttons button:not([disabled])').length === 2);
    assert.equal(await p.locator('.decision textarea.reason').inputValue(), 'Use the small split first.');
    // no view at all (the answer failed): the buttons come back after a while
    await buttons.nth(1).click();
    assert.ok(await buttons.first().isDisabled());
    await p.waitForFunction(() => document.querySelectorAll('.decision .buttons button:not([disabled])').length === 2, undefined, {
      timeout: 6000,
    });
    assert.equal(await p.locator('.decision textarea.reason').inputValue(), 'Use the small split first.');
    assert.deepEqual(
      (await intentsOf(p)).map((m) => (m as { choice?: string }).choice),
      ['run', 'decline'],
    );
    // answered: the decision goes, and one that follows has working buttons
    await p.getByRole('button', { name: 'Run the script of step 7' }).click();
    await showAndWait(p, { ...running(), decision: EDIT_DECISION }, '.decision-edit');
    assert.ok(await buttons.first().isEnabled());
    await p.close();
  });

  test('an edit decision: Open Diff, Accept without a reason, no focus taken from the steering box', async () => {
    const { page: p } = await open('light', 300);
    await showAndWait(p, running(), '.steering:not([hidden])');
    await p.locator('#steer-text').fill('half-written');
    await showAndWait(p, { ...running(), decision: EDIT_DECISION }, '.decision-edit');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'steer-text', 'typing is not interrupted');
    assert.equal(await p.locator('#steer-text').inputValue(), 'half-written');
    assert.deepEqual(await p.locator('.decision .buttons button').allTextContents(), ['Accept', 'Reject']);
    assert.match(await text(p, '.decision-size'), /2 hunks · \+2 −2 · Open Diff/);
    assert.match(await text(p, '.decision-reason'), /^Planner: Add a GradientBoostingRegressor/);
    await p.getByRole('button', { name: 'Open the diff of step 6 to train.py' }).click();
    await p.getByRole('button', { name: 'Accept the edit of step 6 to train.py' }).click();
    assert.deepEqual(await intentsOf(p), [
      { type: 'openDiff', id: 'edit-6' },
      { type: 'decide', id: 'edit-6', choice: 'accept' },
    ]);
    await p.close();
  });

  test('the Now line: the model, its Thought and a clock that ticks; the script with its time left', async () => {
    const { page: p } = await open('dark', 300);
    await showAndWait(p, nowModel(), '.now-model');
    assert.match(await words(p, '.now-head'), /^Planner · gemini-2\.5-flash · 1[23] s$/);
    assert.match(await text(p, '.now-detail'), /^Gradient boosting should beat Ridge/);
    await p.waitForFunction(() => /^1[4-9] s$/.test(document.querySelector('.now-elapsed')?.textContent ?? ''), undefined, {
      timeout: 4000,
    });
    await showAndWait(p, nowScript(), '.now-script');
    assert.match(await words(p, '.now-head'), /^python train\.py · 4[2-4] s · 55[6-8] s left$/);
    assert.equal(await text(p, '.now-detail'), 'fold 2/3 done');
    await p.close();
  });

  test('steering: Send to planner and Ctrl+Enter post the note; pause and continue', async () => {
    const { page: p } = await open('dark', 300);
    await showAndWait(p, running(), '.steering:not([hidden])');
    await p.locator('#steer-text').fill('  Try Ridge with alpha 1.  ');
    await p.getByRole('button', { name: 'Send to planner' }).click();
    assert.equal(await p.locator('#steer-text').inputValue(), '');
    await p.locator('#steer-text').fill('Keep the split.');
    await p.locator('#steer-text').press('Control+Enter');
    await p.getByRole('button', { name: 'Pause after this step' }).click();
    const view = running();
    await showAndWait(p, { ...view, run: { ...view.run!, paused: true } }, '.phase-paused');
    assert.equal(await text(p, '.phase'), 'Paused after step 6');
    assert.ok(await p.getByRole('button', { name: 'Pause after this step' }).isHidden());
    await p.getByRole('button', { name: 'Continue' }).click();
    assert.deepEqual(await intentsOf(p), [
      { type: 'steer', text: 'Try Ridge with alpha 1.' },
      { type: 'steer', text: 'Keep the split.' },
      { type: 'pause' },
      { type: 'continue' },
    ]);
    await p.close();
  });

  test('the empty sidebar: budget, lifelines, providers, models; its buttons post commands', async () => {
    const { page: p } = await open('light', 300);
    await showAndWait(p, empty(), '.welcome-buttons');
    assert.equal(await text(p, '.welcome-budget'), 'Budget $0.50 · 3 expert lifelines');
    assert.deepEqual(
      await p.locator('.providers li').allInnerTexts(),
      [' gemini: ready', ' openai: no key yet'].map((t) => t.trim()),
    );
    assert.match(await text(p, '.models'), /Planner\s+gemini-2\.5-flash → gpt-4\.1-mini/);
    for (const label of ['Set API Key', 'Open the Sample and Run the Demo', 'Create a Task File', 'Select Models', 'Test Connection'])
      await p.getByRole('button', { name: label }).click();
    assert.deepEqual(
      (await intentsOf(p)).map((m) => m.command),
      ['budgetml.setApiKey', 'budgetml.runDemo', 'budgetml.createTaskFile', 'budgetml.selectModels', 'budgetml.testConnection'],
    );
    await p.close();
  });

  test('Restricted Mode: past runs readable, no Start, no steering, no decisions; trust can be managed', async () => {
    const { page: p } = await open('dark', 300);
    await showAndWait(p, { ...restricted(), decision: RUN_DECISION }, '.restricted:not([hidden])');
    assert.match(
      await text(p, '.restricted'),
      /This folder is in Restricted Mode: BudgetML shows past runs but starts nothing until you trust it/,
    );
    assert.equal(await p.locator('button[data-intent="start"]').count(), 0);
    assert.ok(await p.locator('.steering').isHidden());
    assert.ok(await p.locator('.decision').isHidden());
    assert.equal(await p.locator('.timeline .step').count(), 10, 'the past run stays visible');
    await p.getByRole('button', { name: 'Manage Workspace Trust' }).click();
    assert.deepEqual(await intentsOf(p), [{ type: 'command', command: 'workbench.trust.manage' }]);
    await p.close();
  });

  test('the live region announces changes of state, never a spend tick; Ask the Expert shows its worst case', async () => {
    const { page: p } = await open('dark', 300);
    const view = running();
    await showAndWait(p, view, '.steering:not([hidden])');
    const live = () => p.locator('#announcer').textContent();
    await showAndWait(p, { ...view, decision: RUN_DECISION }, '.decision-run');
    assert.equal(await live(), 'Waiting for you: run python train.py --epochs 3? (step 7)');
    await p.evaluate(() => {
      const w = window as unknown as { __changes: number };
      w.__changes = 0;
      new MutationObserver(() => w.__changes++).observe(document.getElementById('announcer')!, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    const tick = { cost: { ...view.cost, usd: 0.0449, streaming: true, expertWorstCaseUsd: 0.012 } };
    await p.evaluate((patch) => window.postMessage({ type: 'patch', view: patch }, '*'), tick);
    await p.locator('.spend', { hasText: '0.0449' }).waitFor();
    assert.equal(await p.evaluate(() => (window as unknown as { __changes: number }).__changes), 0, 'a spend tick is not announced');
    assert.equal(await p.locator('button[data-intent="askExpert"]').textContent(), 'Ask the Expert (up to $0.0120)');
    await p.evaluate(() => window.postMessage({ type: 'patch', view: { decision: null } }, '*'));
    await p.waitForFunction(() => document.getElementById('announcer')?.textContent === 'Decision made; the run goes on');
    await p.close();
  });

  test('timeline rows: duration, cost, notes and readable names', async () => {
    const { page: p } = await open('dark', 300);
    const view = endedView();
    view.timeline = view.timeline.map((t) => (t.step === 5 ? { ...t, notes: ['Try Ridge next.'] } : t));
    await showView(p, view);
    assert.equal(await p.locator('.timeline .step-head').nth(5).getAttribute('aria-label'), 'Step 5: Execute Script train.py, open output');
    assert.match(await p.locator('.timeline .step-meta').nth(5).innerText(), /^24 s · \$0\.00330$/);
    assert.match(await text(p, '.step-note'), /You: Try Ridge next\./);
    await p.close();
  });
});

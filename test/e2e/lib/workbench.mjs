// Drives the VS Code workbench in headless Chromium the way a person does: keyboard, clicks, and
// what is on the screen (the DOM). Webview content lives in nested iframes, found through page.frames().
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

export const VIEWPORT = { width: 1280, height: 800 };

/** Headless Chromium with a throwaway profile; returns { context, page }. */
export async function launchBrowser(profileDir, { headless = true } = {}) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless,
    viewport: VIEWPORT,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** Loads the workbench with a folder open and waits until the explorer shows `file`. */
export async function openWorkbench(page, url, file, timeout = 60000) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first().waitFor({ timeout });
}

/** F1, type the command's title, Enter. Tries again while the palette does not list it yet (extensions still registering). */
export async function runCommand(page, title, attempts = 4) {
  for (let i = 1; ; i++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible', timeout: 10000 });
    await page.keyboard.type(title, { delay: 5 });
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    const listed = await row.waitFor({ timeout: 3000 }).then(
      () => true,
      () => false,
    );
    if (listed) return page.keyboard.press('Enter');
    if (i === attempts) throw new Error(`the command palette does not list "${title}"`);
  }
}

/** The quick input box (goal, pick lists) once it is open: its title and value. */
export async function quickInput(page, timeout = 15000) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout });
  return {
    title:
      (
        await widget
          .locator('.quick-input-title')
          .textContent()
          .catch(() => '')
      )?.trim() ?? '',
    value: await widget.locator('input.input').inputValue(),
  };
}

/** A notification toast whose message contains `text` (a string or RegExp). */
export function toast(page, text) {
  return page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();
}

/** Clicks `button` on the toast that says `text`; waits for the toast up to `timeout`. */
export async function clickToastButton(page, text, button, timeout = 30000) {
  const item = toast(page, text);
  await item.waitFor({ state: 'visible', timeout });
  const message = (await item.locator('.notification-list-item-message').textContent())?.trim() ?? '';
  await item
    .locator('.monaco-button', { hasText: new RegExp(`^${button}$`) })
    .first()
    .click();
  await item.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  return message;
}

/** The first frame (webviews are nested iframes) in which `selector` exists. */
export async function findFrame(page, selector, timeout = 20000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (
        await frame
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame has ${selector} after ${timeout} ms`);
    await page.waitForTimeout(50);
  }
}

/** Text of the active terminal (the DOM renderer: terminal.integrated.gpuAcceleration is "off"). */
export async function terminalText(page) {
  const rows = page.locator('.terminal-wrapper.active .xterm-rows').first();
  return (await rows.count()) ? ((await rows.innerText()) ?? '') : '';
}

/** Waits until the active terminal shows `pattern`; returns its text. */
export async function waitForTerminal(page, pattern, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await terminalText(page);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the terminal did not show ${pattern} within ${timeout} ms; it shows:\n${text.slice(-800)}`);
    await page.waitForTimeout(200);
  }
}

/** The label of the status bar item whose accessible name starts with `prefix`. */
export async function statusBarItem(page, prefix) {
  const item = page.locator(`.statusbar-item [aria-label^="${prefix}"], .statusbar-item[aria-label^="${prefix}"]`).first();
  await item.waitFor({ timeout: 10000 });
  return { label: (await item.getAttribute('aria-label')) ?? '', text: (await item.innerText()).trim() };
}

/** Titles of the open editor tabs. */
export async function tabTitles(page) {
  return page.locator('.tabs-container .tab .label-name').allTextContents();
}

/** Clicks the editor-title action whose accessible name contains `label` (e.g. "Accept Edit"). */
export async function clickEditorAction(page, label) {
  const action = page.locator(`.editor-group-container.active .editor-actions a.action-label[aria-label*="${label}"]`).first();
  await action.waitFor({ state: 'visible', timeout: 10000 });
  await action.click();
}

/** Opens a view container from the activity bar by its title (e.g. "BudgetML"). */
export async function openActivity(page, title) {
  const item = page.locator(`.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
  await item.waitFor({ state: 'visible', timeout: 10000 });
  const selected = await item.locator('xpath=..').getAttribute('class');
  if (!/\bchecked\b/.test(selected ?? '')) await item.click();
}

/** A screenshot of the whole workbench, written whole (temporary name, then renamed). */
export async function screenshot(page, file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial.png`;
  await page.screenshot({ path: partial });
  fs.renameSync(partial, file);
  return file;
}

/**
 * Reloads the window as a user does: F1 → "Developer: Reload Window", or page.reload() when the
 * palette does not offer the command. Waits for the new workbench with the explorer showing `file`;
 * returns how the window was reloaded.
 */
export async function reloadWindow(page, file, timeout = 60000) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout });
  let how = 'Developer: Reload Window';
  try {
    await runCommand(page, how, 2);
  } catch {
    how = 'page.reload()';
    await page.keyboard.press('Escape');
    await page.reload();
  }
  await navigated;
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first().waitFor({ timeout });
  return how;
}

// What both end-to-end tests do first: build and install the .vsix into a fresh code-server, start
// the fake models, open the sample project in headless Chromium, and start a task with the goal
// prefilled from budgetml.task.json.
import fs from 'node:fs';
import path from 'node:path';
import { startFakeOpenAI } from '../../fixtures/fakeOpenAI.ts';
import { assert, step } from './checks.mjs';
import { fakeModelSettings } from './fakeModels.mjs';
import {
  build,
  copySample,
  ensureCodeServer,
  EXTENSION_ID,
  folderUrl,
  installVsix,
  listExtensions,
  packageVsix,
  serverEnv,
  startCodeServer,
  writeUserSettings,
} from './vscodeServer.mjs';
import * as wb from './workbench.mjs';

/**
 * @param {{ tmp: string, workspace: string, apiKey: string, python: string, replies: object[],
 *   settings?: Record<string, unknown>, cleanup: (() => unknown)[] }} options
 * @returns {Promise<{ page: import('playwright-core').Page, fake: { url: string, requests: any[] }, server: { bin: string, env: object, userData: string, extensions: string, stop: () => Promise<void> } }>}
 */
export async function openSampleWorkbench({ tmp, workspace, apiKey, python, replies, settings = {}, cleanup }) {
  let vsix, bin, server, env;
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  await step('the extension builds and packages as a .vsix', async () => {
    build();
    vsix = packageVsix(tmp);
    return `${(fs.statSync(vsix).size / 1024).toFixed(0)} KB`;
  });
  await step('the .vsix installs into a fresh code-server', async () => {
    bin = ensureCodeServer();
    env = serverEnv(tmp, { OPENAI_API_KEY: apiKey });
    installVsix(bin, vsix, extensions, env);
    const installed = listExtensions(bin, extensions, env);
    assert(
      installed.some((id) => id.startsWith(EXTENSION_ID)),
      `installed: ${installed.join(', ')}`,
    );
  });
  const fake = await startFakeOpenAI({ replies }, { apiKey });
  cleanup.push(() => fake.close());
  await step('code-server starts with the fake models in the user settings', async () => {
    writeUserSettings(userData, { ...fakeModelSettings(fake.url, python), ...settings });
    copySample(workspace);
    server = await startCodeServer({ bin, home: tmp, userDataDir: userData, extensionsDir: extensions, env });
    cleanup.push(() => server.stop());
    return server.url;
  });
  const browser = await wb.launchBrowser(path.join(tmp, 'chromium'));
  cleanup.push(() => browser.context.close());
  const page = browser.page;
  await step('the sample project opens in the workbench', () => wb.openWorkbench(page, folderUrl(server.url, workspace), 'train.py'));
  return { page, fake, server: { bin, env, userData, extensions, stop: () => server.stop() } };
}

/** F1 → "BudgetML: Start Task"; the input box holds the goal of budgetml.task.json; Enter starts the run. Returns the goal. */
export async function startTaskWithPrefilledGoal(page, workspace) {
  const goal = JSON.parse(fs.readFileSync(path.join(workspace, 'budgetml.task.json'), 'utf8')).goal;
  await step('F1 → "BudgetML: Start Task" asks for the goal, prefilled from budgetml.task.json; Enter starts the run', async () => {
    await wb.runCommand(page, 'BudgetML: Start Task');
    const box = await wb.quickInput(page, 30000);
    assert(box.value === goal, `the input box holds "${box.value}"`);
    await page.keyboard.press('Enter');
  });
  return goal;
}

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Figures of the extension in a real VS Code: the packaged .vsix installed into a fresh
 * code-server, driven by headless Chromium (test/e2e/lib). Nothing here asserts: it measures.
 *   import { extensionBundle, activationTime, sidebarFirstRender } from './vscode';
 *   await extensionBundle(); await activationTime(); await sidebarFirstRender();
 * Alone: node --import tsx bench/vscode.ts [bundle|activation|sidebar]
 */

const ROOT = resolve(__dirname, '..');
const KB = 1024;

/** The parts of test/e2e/lib used here (plain ES modules, shared with the end-to-end test and the demo). */
interface Frame {
  locator(selector: string): { count(): Promise<number> };
}
interface Page {
  frames(): Frame[];
  mainFrame(): Frame;
  waitForTimeout(ms: number): Promise<void>;
  locator(selector: string): { allInnerTexts(): Promise<string[]>; first(): { waitFor(o: object): Promise<void> } };
  keyboard: { press(key: string): Promise<void> };
}
interface ServerLib {
  SAMPLE: string;
  build(): void;
  packageVsix(dir: string): string;
  ensureCodeServer(): string;
  serverEnv(home: string): NodeJS.ProcessEnv;
  installVsix(bin: string, vsix: string, extensionsDir: string, env: NodeJS.ProcessEnv): string;
  writeUserSettings(userDataDir: string, settings: object): void;
  copySample(dir: string): string;
  startCodeServer(o: object): Promise<{ url: string; stop(): Promise<void> }>;
  folderUrl(url: string, folder: string): string;
  extensionLogFiles(userDataDir: string): string[];
}
interface WorkbenchLib {
  launchBrowser(profile: string): Promise<{ context: { close(): Promise<void> }; page: Page }>;
  openWorkbench(page: Page, url: string, file: string): Promise<void>;
  runCommand(page: Page, title: string): Promise<void>;
  openActivity(page: Page, title: string): Promise<void>;
}

async function load<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, 'test', 'e2e', 'lib', file)).href)) as T;
}

/** dist/extension.js + dist/agentCore.js (what the extension loads) and dist/webview.js, as built. */
export async function extensionBundle(): Promise<void> {
  const server = await load<ServerLib>('vscodeServer.mjs');
  server.build();
  const size = (name: string) => statSync(join(ROOT, 'dist', name)).size;
  const extension = size('extension.js');
  const core = size('agentCore.js');
  const webview = size('webview.js');
  console.log('\n## Extension bundle (minified)');
  console.log(
    `dist/extension.js ${(extension / KB).toFixed(1)} KB (loaded at activation) + dist/agentCore.js ${(core / KB).toFixed(1)} KB (loaded when a run starts) = ${((extension + core) / KB / KB).toFixed(2)} MB (target <= 1.6 MB)`,
  );
  console.log(`dist/webview.js ${(webview / KB).toFixed(1)} KB (target <= 150 KB)`);
}

interface Session {
  userData: string;
  /** the page of the current window */
  page: Page;
  /** Developer: Reload Window (a fresh extension host, the same browser profile) */
  reload(): Promise<void>;
  /** a new browser with a fresh profile opens the folder (the previous window closes) */
  newWindow(): Promise<void>;
}

/** The packaged extension installed into a fresh code-server, the sample project open in headless Chromium. */
async function withWorkbench(work: (session: Session) => Promise<void>): Promise<void> {
  const server = await load<ServerLib>('vscodeServer.mjs');
  const wb = await load<WorkbenchLib>('workbench.mjs');
  const tmp = mkdtempSync(join(tmpdir(), 'budgetml-bench-vscode-'));
  let closeServer = async () => {};
  let closeBrowser = async () => {};
  try {
    server.build();
    const bin = server.ensureCodeServer();
    const env = server.serverEnv(tmp);
    const [userData, extensions] = [join(tmp, 'user-data'), join(tmp, 'extensions')];
    server.installVsix(bin, server.packageVsix(tmp), extensions, env);
    server.writeUserSettings(userData, {});
    const folder = server.copySample(join(tmp, 'diabetes'));
    // debug: the extension's log channel then has its own timings ("Activated in", "Sidebar drawn")
    const cs = await server.startCodeServer({
      bin,
      home: tmp,
      userDataDir: userData,
      extensionsDir: extensions,
      env,
      extraArgs: ['--log', 'debug'],
    });
    closeServer = () => cs.stop();
    let windows = 0;
    const session: Session = {
      userData,
      page: undefined as unknown as Page,
      async newWindow() {
        await closeBrowser();
        const { context, page } = await wb.launchBrowser(join(tmp, `chromium-${++windows}`));
        closeBrowser = () => context.close();
        session.page = page;
        await wb.openWorkbench(page, server.folderUrl(cs.url, folder), 'train.py');
      },
      async reload() {
        const { page } = session;
        await wb.openActivity(page, 'Explorer'); // the BudgetML view must not come back open by itself
        await wb.runCommand(page, 'Developer: Reload Window');
        await page.waitForTimeout(500);
        await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
      },
    };
    await session.newWindow();
    await work(session);
  } finally {
    await closeBrowser().catch(() => undefined);
    await closeServer().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Lets the extensions that start with the window finish, so they do not share the measured time. */
const SETTLE_MS = 4000;

/**
 * Activation time as VS Code measures it (Developer: Show Running Extensions: code loading + the
 * activate call), after the user opens the BudgetML view in a fresh window; `samples` windows.
 */
export async function activationTime(samples = 5): Promise<void> {
  const wb = await load<WorkbenchLib>('workbench.mjs');
  const server = await load<ServerLib>('vscodeServer.mjs');
  const shown: number[] = [];
  let own: number[] = [];
  await withWorkbench(async (session) => {
    for (let i = 0; i < samples; i++) {
      if (i > 0) await session.reload();
      const { page } = session;
      await page.waitForTimeout(SETTLE_MS);
      await wb.openActivity(page, 'BudgetML');
      await page.waitForTimeout(500);
      await wb.runCommand(page, 'Developer: Show Running Extensions');
      const row = await waitForRow(page, 'BudgetML Agent');
      const ms = /Activation: (\d+)\s*ms/.exec(row)?.[1];
      if (ms) shown.push(Number(ms));
      await page.keyboard.press('Escape');
    }
    own = logFigures(server.extensionLogFiles(session.userData), /Activated in ([\d.]+) ms/);
  });
  console.log(`\n## Activation (code-server 4.100.3 = VS Code 1.100.3, headless Chromium, the installed .vsix; ${machine()})`);
  console.log(
    `VS Code's figure (Running Extensions: load code + activate): median ${median(shown)} ms over ${shown.length} fresh windows [${shown.join(', ')}] (target <= 50 ms)`,
  );
  if (own.length)
    console.log(
      `  the activate() body alone, as the extension logs it: median ${median(own).toFixed(1)} ms [${own.map((v) => v.toFixed(1)).join(', ')}]`,
    );
}

/**
 * From a click on the BudgetML icon to the sidebar's panels drawn, measured from outside (the
 * workbench page). Each sample is a new window in a fresh browser profile: "cold" also activates
 * the extension, "warm" finds it active. One more sample after Developer: Reload Window in the same
 * profile: there VS Code's web workbench takes longer to set up a webview. The webview's own figure
 * (its script start → first panels laid out) comes from the BudgetML log when it is logged there.
 */
export async function sidebarFirstRender(samples = 3): Promise<void> {
  const wb = await load<WorkbenchLib>('workbench.mjs');
  const server = await load<ServerLib>('vscodeServer.mjs');
  const cold: number[] = [];
  const warm: number[] = [];
  const loaded: number[] = [];
  let reloaded: { loaded: number; drawn: number } | undefined;
  let drawn: number[] = [];
  let problem = '';
  const openView = async (page: Page, activateFirst: boolean) => {
    await page.waitForTimeout(SETTLE_MS);
    if (activateFirst) {
      await wb.runCommand(page, 'BudgetML: Open Run Log'); // any command activates the extension
      await page.waitForTimeout(1000);
      await page.keyboard.press('Escape');
    }
    const started = Date.now();
    await wb.openActivity(page, 'BudgetML');
    const times = await panelsDrawn(page, started);
    if (!times) problem = 'the BudgetML view showed no panels within 10 s';
    return times;
  };
  await withWorkbench(async (session) => {
    for (let i = 0; i < 2 * samples && !problem; i++) {
      if (i > 0) await session.newWindow();
      const isWarm = i % 2 === 1;
      const times = await openView(session.page, isWarm);
      if (times) (isWarm ? warm : cold).push(times.drawn);
      if (times && isWarm) loaded.push(times.loaded);
    }
    if (!problem) {
      await session.reload();
      reloaded = await openView(session.page, true);
    }
    drawn = logFigures(server.extensionLogFiles(session.userData), /Sidebar drawn ([\d.]+) ms/);
  });
  console.log(`\n## Sidebar first render (click on the BudgetML icon → panels drawn, seen from the workbench page; ${machine()})`);
  if (problem) console.log(`not measured: ${problem}`);
  if (cold.length) console.log(`new window, cold (activates the extension): median ${median(cold)} ms [${cold.join(', ')}]`);
  if (warm.length)
    console.log(`new window, warm (extension already active): median ${median(warm)} ms [${warm.join(', ')}] (target <= 300 ms)`);
  if (loaded.length)
    console.log(
      `  of which VS Code's webview set-up (click → the sidebar's document loaded): median ${median(loaded)} ms [${loaded.join(', ')}]`,
    );
  if (reloaded) console.log(`after Developer: Reload Window, warm: ${reloaded.drawn} ms (document loaded after ${reloaded.loaded} ms)`);
  if (drawn.length)
    console.log(`  the webview's own figure (its script start → panels laid out): median ${median(drawn)} ms [${drawn.join(', ')}]`);
  else if (!problem) console.log('  the webview\'s own figure: not in the BudgetML log ("Sidebar drawn N ms")');
}

/**
 * Polls the webview frames: ms since `started` until the sidebar's document has loaded (#app exists)
 * and until its panels are drawn; undefined after 10 s.
 */
async function panelsDrawn(page: Page, started: number): Promise<{ loaded: number; drawn: number } | undefined> {
  let loaded: number | undefined;
  while (Date.now() - started < 10000) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (
        loaded === undefined &&
        (await frame
          .locator('#app')
          .count()
          .catch(() => 0))
      )
        loaded = Date.now() - started;
      if (
        await frame
          .locator('#app:not(.empty) .panel')
          .count()
          .catch(() => 0)
      )
        return { loaded: loaded ?? Date.now() - started, drawn: Date.now() - started };
    }
    await page.waitForTimeout(5);
  }
  return undefined;
}

async function waitForRow(page: Page, name: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const rows = await page.locator('.runtime-extensions-editor .monaco-list-row').allInnerTexts();
    const row = rows.find((r) => r.includes(name));
    if (row && /Activation: \d+/.test(row)) return row.replace(/\s+/g, ' ');
    await page.waitForTimeout(100);
  }
  throw new Error(`Running Extensions does not list ${name}`);
}

/** Every number the pattern finds in the extension's log files. */
function logFigures(files: string[], pattern: RegExp): number[] {
  const global = new RegExp(pattern.source, 'g');
  return files.filter(existsSync).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(global)].map((m) => Number(m[1])));
}

/** The CPUs and the load while measuring: these figures move with both. */
function machine(): string {
  return `${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`;
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (require.main === module) {
  const only = process.argv[2];
  const parts: Record<string, () => Promise<void>> = {
    bundle: extensionBundle,
    activation: () => activationTime(),
    sidebar: () => sidebarFirstRender(),
  };
  void (async () => {
    for (const [name, part] of Object.entries(parts)) if (!only || only === name) await part();
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

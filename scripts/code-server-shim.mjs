#!/usr/bin/env node
// Stands in for a VS Code executable so that @vscode/test-electron's runTests({ vscodeExecutablePath })
// runs the integration suite inside code-server: the real VS Code server, whose Node extension host
// is the same as the desktop one. The workbench is headless Chromium (the extension host only lives
// while a workbench is connected); the suite's console output and exit code come back through the
// automation hooks the workbench calls (window.codeAutomationLog / window.codeAutomationExit).
//
// Arguments as test-electron passes them:
//   --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--user-data-dir=D] [--extensions-dir=D] [WORKSPACE]
// Other flags are accepted and ignored.
// Environment: CODE_SERVER_BIN (required), CHROMIUM_BIN (default /usr/bin/chromium),
//   BUDGETML_TEST_TIMEOUT_MS (default 600000), BUDGETML_SCREENSHOT_DIR (screenshots on request),
//   BUDGETML_KEEP_TEST_TMP=1 (keep logs), VERBOSE=1 (all workbench console lines).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = { dev: [], workspace: undefined, tests: undefined, userData: undefined, extensions: undefined };
for (const arg of process.argv.slice(2)) {
  const m = /^--([^=]+)=(.*)$/.exec(arg);
  if (!m) {
    if (!arg.startsWith('-')) args.workspace = path.resolve(arg);
    continue;
  }
  const [, key, value] = m;
  if (key === 'extensionDevelopmentPath') args.dev.push(path.resolve(value));
  else if (key === 'extensionTestsPath') args.tests = path.resolve(value);
  else if (key === 'user-data-dir') args.userData = path.resolve(value);
  else if (key === 'extensions-dir') args.extensions = path.resolve(value);
}
const codeServer = process.env.CODE_SERVER_BIN;
if (!args.dev.length || !args.tests || !codeServer) {
  console.error('usage: CODE_SERVER_BIN=... code-server-shim.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [WORKSPACE]');
  process.exit(2);
}
const chromiumBin = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const timeoutMs = Number(process.env.BUDGETML_TEST_TIMEOUT_MS || 600000);
const shotDir = process.env.BUDGETML_SCREENSHOT_DIR;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'budgetml-vscode-'));
const started = Date.now();
const say = (...parts) => console.log(`[code-server ${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);

const port = await freePort();
const userData = args.userData || path.join(tmp, 'user-data');
writeTestSettings(path.join(userData, 'User', 'settings.json'));
const server = startServer(port, userData);
await waitUntilHealthy(port);
say(`listening on 127.0.0.1:${port}`);

const browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
  executablePath: chromiumBin,
  headless: true,
  viewport: { width: 1400, height: 860 },
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
const page = browser.pages()[0] || (await browser.newPage());
let finish;
const exitCode = new Promise((resolve) => (finish = resolve));
const noise =
  /^(AbstractContextKeyService has been disposed|Resolving connection token|Resolved connection token|Creating a socket|\[Service Worker\]|ChatSessionStore|Ignoring fetching additional builtin|Updating additional builtin|\[reconnection-grace-time\])/;
await page.exposeFunction('codeAutomationLog', async (type, parts) => {
  const first = typeof parts?.[0] === 'string' ? parts[0] : '';
  const shot = /^BUDGETML_SCREENSHOT (\S+)/.exec(first);
  if (shot) return screenshot(shot[1]);
  const focus = /^BUDGETML_FOCUS (\S+)/.exec(first);
  if (focus) return reportFocus(focus[1]);
  const picks = /^BUDGETML_QUICKPICK (\S+)/.exec(first);
  if (picks) return reportQuickPick(picks[1]);
  if (!process.env.VERBOSE && noise.test(first)) return;
  (console[type] || console.log)(...(parts || []));
});
await page.exposeFunction('codeAutomationExit', (code, logs) => {
  for (const { relativePath, contents } of logs || []) {
    const file = path.join(tmp, 'vscode-logs', relativePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
  finish(code);
});

const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
const payload = JSON.stringify([
  ...args.dev.map((d) => ['extensionDevelopmentPath', remote(d)]),
  ['extensionTestsPath', remote(args.tests)],
  ['skipWelcome', 'true'],
]);
const where = !args.workspace
  ? 'ew=true'
  : args.workspace.endsWith('.code-workspace')
    ? `workspace=${encodeURIComponent(args.workspace)}`
    : `folder=${encodeURIComponent(args.workspace)}`;
await page.goto(`http://127.0.0.1:${port}/?${where}&payload=${encodeURIComponent(payload)}`);
const timer = setTimeout(() => {
  say(`no result after ${timeoutMs} ms: giving up`);
  finish(124);
}, timeoutMs);
const code = await exitCode;
clearTimeout(timer);
if (code !== 0) await page.screenshot({ path: path.join(tmp, 'failure.png') }).catch(() => undefined);
await browser.close();
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
const keep = code !== 0 || process.env.BUDGETML_KEEP_TEST_TMP;
say(`extension host exited with ${code}${keep ? `; server log, VS Code logs and a screenshot in ${tmp}` : ''}`);
if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
process.exit(code);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
}

/** A quiet profile: no welcome page, telemetry, updates or trust prompt; terminal text in the DOM; bash for shell integration. */
function writeTestSettings(file) {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'security.workspace.trust.enabled': false,
        'terminal.integrated.gpuAcceleration': 'off',
        'terminal.integrated.enablePersistentSessions': false,
        'terminal.integrated.defaultProfile.linux': 'bash',
        'window.commandCenter': false,
        'git.openRepositoryInParentFolders': 'never',
        'git.enabled': false,
      },
      null,
      2,
    ),
  );
}

function startServer(p, userDataDir) {
  fs.writeFileSync(path.join(tmp, 'config.yaml'), `bind-addr: 127.0.0.1:${p}\nauth: none\ncert: false\n`);
  const child = spawn(
    codeServer,
    [
      '--config',
      path.join(tmp, 'config.yaml'),
      '--bind-addr',
      `127.0.0.1:${p}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      args.extensions || path.join(tmp, 'extensions'),
    ],
    {
      env: {
        EXTENSIONS_GALLERY: '{}',
        XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
        XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
        ...process.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = fs.createWriteStream(path.join(tmp, 'server.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

async function waitUntilHealthy(p) {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`http://127.0.0.1:${p}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.error(fs.readFileSync(path.join(tmp, 'server.log'), 'utf8'));
  server?.kill();
  process.exit(2);
}

/** Writes where the keyboard focus is (which part of the workbench) to <name>.json, for the suite to read. */
async function reportFocus(name) {
  if (!shotDir) return;
  const where = await page.evaluate(() => {
    const el = document.activeElement;
    const inside = (selector) => !!el?.closest(selector);
    return {
      tag: el?.tagName ?? null,
      diffEditor: inside('.monaco-diff-editor'),
      editor: inside('.monaco-editor'),
      terminal: inside('.terminal'),
      quickInput: inside('.quick-input-widget'),
    };
  });
  fs.mkdirSync(shotDir, { recursive: true });
  const file = path.join(shotDir, `${name}.json`);
  fs.writeFileSync(`${file}.partial`, JSON.stringify(where));
  fs.renameSync(`${file}.partial`, file);
}

/** The labels of the rows the open quick pick (the command palette) lists, for the suite to check. */
async function reportQuickPick(name) {
  if (!shotDir) return;
  const labels = await page.evaluate(() =>
    [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')].map(
      (row) => row.getAttribute('aria-label') ?? row.textContent ?? '',
    ),
  );
  fs.mkdirSync(shotDir, { recursive: true });
  const file = path.join(shotDir, `${name}.json`);
  fs.writeFileSync(`${file}.partial`, JSON.stringify(labels));
  fs.renameSync(`${file}.partial`, file);
}

/** Saves a screenshot the suite asked for; written under a temporary name, then renamed, so the suite sees a whole file. */
async function screenshot(name) {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  const file = path.join(shotDir, `${name}.png`);
  const partial = `${file}.partial.png`;
  try {
    await page.screenshot({ path: partial });
    fs.renameSync(partial, file);
    say(`screenshot ${file}`);
  } catch (error) {
    say(`screenshot ${name} failed: ${error.message}`);
  }
}

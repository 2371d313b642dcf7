#!/usr/bin/env node
// The demo: builds and packages the extension, installs it into VS Code, and opens a fresh copy of
// the sample project (media/samples/diabetes) in it.
//
//   npm run demo                 desktop VS Code when `code` is on PATH, else a local code-server
//   npm run demo -- --check      headless: build, package, install into code-server, start it, check
//                                that it answers and lists the extension, then exit (0 = ready)
// Options: --folder DIR (where the sample goes; default ~/budgetml-demo, or ~/budgetml-demo-<time>
//   when that exists), --port N (code-server; default 8080 when free), --code-server (even when `code` exists).
// Models: OPENAI_API_KEY / GEMINI_API_KEY → the real providers; else a local OpenAI-compatible server
//   (Ollama on 127.0.0.1:11434) when one answers; else the recorded run, replayed without any key.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  build,
  copySample,
  ensureCodeServer,
  EXTENSION_ID,
  folderUrl,
  freePort,
  hasSklearn,
  installVsix,
  listExtensions,
  packageVsix,
  serverEnv,
  startCodeServer,
  writeUserSettings,
} from '../test/e2e/lib/vscodeServer.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const check = args.includes('--check');
const started = Date.now();
const say = (message) => console.log(`demo: ${message}`);

const useDesktop = !check && !args.includes('--code-server') && onPath('code');
const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'budgetml-demo');
const home = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'budgetml-demo-check-')) : cache;
fs.mkdirSync(home, { recursive: true });

say('building and packaging the extension');
build();
const vsix = packageVsix(path.join(home, 'vsix'));
say(`packaged ${vsix} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)`);

const folder = sampleFolder();
copySample(folder);
const models = await chooseModels();
const python = hasSklearn('/usr/bin/python3') ? '/usr/bin/python3' : undefined;
writeWorkspaceSettings(folder, { ...models.settings, ...(python ? { 'budgetml.python': python } : {}) });
say(`sample project: ${folder}`);
say(`models: ${models.description}`);
if (!python && !hasSklearn('python3'))
  say('warning: no Python with scikit-learn found; install it (Debian: apt-get install python3-sklearn) or set budgetml.python');

if (useDesktop) {
  say('installing into the desktop VS Code (code --install-extension)');
  execFileSync('code', ['--install-extension', vsix, '--force'], { stdio: 'inherit' });
  execFileSync('code', [folder], { stdio: 'inherit' });
  say('opened the sample in VS Code (trust the folder when asked: scripts run only in a trusted workspace).');
  printInstructions(models);
  process.exit(0);
}

const bin = ensureCodeServer();
const extensions = path.join(home, 'extensions');
const userData = path.join(home, 'user-data');
const env = serverEnv(home);
installVsix(bin, vsix, extensions, env);
const installed = listExtensions(bin, extensions, env).some((id) => id.startsWith(EXTENSION_ID));
if (!installed) fail(`the extension is not listed in ${extensions}`);
say(`installed ${EXTENSION_ID} into code-server (${extensions})`);
writeUserSettings(userData, {});

const port = Number(option('--port')) || (check ? await freePort() : await portOr(8080));
const server = await startCodeServer({ bin, home, userDataDir: userData, extensionsDir: extensions, env, port });
const url = folderUrl(server.url, folder);
const page = await fetch(url).then(
  (r) => (r.ok ? r.text() : ''),
  () => '',
);
if (!/<html/i.test(page)) {
  await server.stop();
  fail(`code-server on ${server.url} did not serve the workbench (log: ${server.logFile})`);
}
say(`code-server ${server.url} answers and serves the workbench (${((Date.now() - started) / 1000).toFixed(1)} s)`);

if (check) {
  await server.stop();
  fs.rmSync(home, { recursive: true, force: true });
  say('check passed: built, packaged, installed, and code-server answers');
  process.exit(0);
}

console.log(`\n  Open ${url}\n`);
if ((process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && onPath('xdg-open'))
  spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).unref();
printInstructions(models);
console.log('Press Ctrl+C to stop code-server.');
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  say(`code-server exited (${code}); its log: ${server.logFile}`);
  process.exit(code ?? 1);
});

function sampleFolder() {
  if (check) return path.join(home, 'budgetml-demo');
  const given = option('--folder');
  if (given) return path.resolve(given);
  const preferred = path.join(os.homedir(), 'budgetml-demo');
  return fs.existsSync(preferred) ? `${preferred}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}` : preferred;
}

/** Real providers when a key is set; else a local OpenAI-compatible server; else the recorded run. */
async function chooseModels() {
  const openai = !!process.env.OPENAI_API_KEY;
  const gemini = !!process.env.GEMINI_API_KEY;
  if (openai && gemini) return { kind: 'keys', description: 'OpenAI and Gemini (the default cascade)', settings: {} };
  if (openai) {
    return {
      kind: 'keys',
      description: 'OpenAI (OPENAI_API_KEY)',
      settings: {
        'budgetml.models.planner': ['openai:gpt-4.1-mini'],
        'budgetml.models.worker': ['openai:gpt-4.1-nano', 'openai:gpt-4.1-mini'],
        'budgetml.models.expert': 'openai:gpt-4.1',
      },
    };
  }
  if (gemini) {
    return {
      kind: 'keys',
      description: 'Gemini (GEMINI_API_KEY)',
      settings: {
        'budgetml.models.planner': ['gemini:gemini-2.5-flash'],
        'budgetml.models.worker': ['gemini:gemini-2.5-flash-lite', 'gemini:gemini-2.5-flash'],
        'budgetml.models.expert': 'gemini:gemini-2.5-pro',
      },
    };
  }
  const base = process.env.BUDGETML_LOCAL_BASE_URL || 'http://127.0.0.1:11434/v1';
  const local = await fetch(`${base}/models`, { signal: AbortSignal.timeout(1500) }).then(
    (r) => (r.ok ? r.json() : undefined),
    () => undefined,
  );
  const name = local?.data?.[0]?.id;
  if (name) {
    const model = `openai:${name}`;
    return {
      kind: 'local',
      description: `${model} on the local server ${base} (free)`,
      settings: {
        'budgetml.providers.openai.baseUrl': base,
        'budgetml.models.planner': [model],
        'budgetml.models.worker': [model],
        'budgetml.models.expert': model,
        'budgetml.prices': { [model]: { input: 0, cachedInput: 0, output: 0 } },
      },
    };
  }
  return {
    kind: 'recorded',
    description: 'none found (no OPENAI_API_KEY / GEMINI_API_KEY, no local server): the recorded run',
    settings: {},
  };
}

function writeWorkspaceSettings(dir, settings) {
  if (Object.keys(settings).length === 0) return;
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

function printInstructions(m) {
  console.log('\nIn VS Code:');
  if (m.kind === 'recorded') {
    console.log('  F1 → "BudgetML: Start Task" → "Run the Recorded Demo".');
    console.log(
      '  The recorded model answers are replayed (nothing is charged); the script runs, the edit review and the scores are real.',
    );
  } else {
    console.log('  F1 → "BudgetML: Start Task", then Enter to accept the goal from budgetml.task.json.');
  }
  console.log('  Approve each script run with "Run", review the proposed edit and Accept it in the editor title;');
  console.log('  the BudgetML icon in the activity bar shows the plan, fact check, cost and metrics.\n');
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** `preferred` when nothing listens on it, else a free port. */
function portOr(preferred) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(freePort()));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

// The extension as a user gets it: built, packaged as a .vsix, installed into a code-server (the
// real VS Code server with its web workbench), which runs on a free port with a fresh profile.
// Shared by the end-to-end test, the demo and the VS Code benchmarks.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXTENSION_ID = 'budgetml.budgetml';
export const SAMPLE = path.join(ROOT, 'media', 'samples', 'diabetes');

/** A quiet profile: no welcome page, telemetry, updates or trust prompt; terminal text in the DOM. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.enablePersistentSessions': false,
  'terminal.integrated.defaultProfile.linux': 'bash',
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
};

/** Path of the code-server binary, installed on first use (scripts/ensure-code-server.sh). */
export function ensureCodeServer() {
  if (process.env.CODE_SERVER_BIN) return process.env.CODE_SERVER_BIN;
  const out = execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-code-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop();
}

/** `npm run build`, plus the sidebar bundle when the build does not make it. */
export function build() {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const buildScript = fs.readFileSync(path.join(ROOT, 'scripts', 'build.mjs'), 'utf8');
  if (!/webview/.test(buildScript))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-webview.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The flags vsce needs for this manifest: the bundle has no runtime dependencies, there is no
 * `repository` field, and the README's screenshot links stay relative (the screenshots are not packaged).
 */
export const VSCE_FLAGS = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];

/** Packages the built extension into `dir`; returns the .vsix path. */
export function packageVsix(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const vsix = path.join(dir, 'budgetml.vsix');
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const packaged = spawnSync(process.execPath, [vsce, 'package', ...VSCE_FLAGS, '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
  if (packaged.status !== 0) throw new Error(`vsce package failed:\n${`${packaged.stdout}\n${packaged.stderr}`.trim()}`);
  return vsix;
}

/** The environment a code-server (and the extension host it starts) runs with: nothing lands in $HOME. */
export function serverEnv(home, extra = {}) {
  const dirs = { XDG_CONFIG_HOME: 'xdg-config', XDG_DATA_HOME: 'xdg-data', XDG_CACHE_HOME: 'xdg-cache', TMPDIR: 'tmp' };
  const env = { ...process.env, EXTENSIONS_GALLERY: '{}' };
  for (const [key, dir] of Object.entries(dirs)) {
    env[key] = path.join(home, dir);
    fs.mkdirSync(env[key], { recursive: true });
  }
  return { ...env, ...extra };
}

/** Installs a .vsix into an extensions folder, as `code-server --install-extension` does for a user. */
export function installVsix(bin, vsix, extensionsDir, env) {
  const out = execFileSync(bin, ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--force'], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.trim();
}

/** Names of the extensions installed in a folder (code-server --list-extensions). */
export function listExtensions(bin, extensionsDir, env) {
  return execFileSync(bin, ['--list-extensions', '--extensions-dir', extensionsDir], { env, encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
}

export function writeUserSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1:`port` (a free one when not given) and waits until it answers.
 * `extraArgs`: more code-server flags (e.g. ['--log', 'debug']). `trust`: workspace trust is on (folders open in Restricted Mode until trusted).
 * Returns { url, port, child, logFile, stop() }.
 */
export async function startCodeServer({ bin, home, userDataDir, extensionsDir, env, port, folder, extraArgs = [], trust = false }) {
  port ??= await freePort();
  const logFile = path.join(home, 'code-server.log');
  const config = path.join(home, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    '--config',
    config,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`code-server did not start; its log: ${logFile}\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // the server with its extension hosts, terminals and watchers: all of them end before stop() returns
  const stop = async () => {
    const pids = [child.pid, ...descendants(child.pid)];
    signal(pids, 'SIGTERM');
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    signal(pids.filter(alive), 'SIGKILL');
  };
  return { url, port, child, logFile, stop };
}

/** The processes started by `pid`, children first found, from `ps`. */
function descendants(pid) {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const found = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift();
    for (const [p, pp] of rows) {
      if (pp !== parent) continue;
      found.push(p);
      queue.push(p);
    }
  }
  return found;
}

/** Running (a zombie waiting to be reaped counts as ended). */
function alive(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function signal(pids, name) {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

/** The URL that opens `folder` in the workbench. */
export function folderUrl(url, folder) {
  return `${url}/?folder=${encodeURIComponent(folder)}`;
}

/** A fresh copy of the sample project in `dir`. */
export function copySample(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(SAMPLE, dir, { recursive: true, filter: (src) => !/(__pycache__|submission\.csv|\.budgetml)$/.test(src) });
  return dir;
}

/** True when the interpreter imports scikit-learn. */
export function hasSklearn(python) {
  try {
    execFileSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The files of the extension host's logs for an extension (the LogOutputChannel "BudgetML" among them). */
export function extensionLogFiles(userDataDir, name = 'BudgetML.log') {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === name || entry.name.endsWith(`-${name}`)) found.push(full);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found;
}

#!/usr/bin/env node
// Runs the integration suite (test/integration/*.test.ts) inside a real VS Code extension host.
//
//   npm run test:integration                     code-server (installed on first use, cached) + headless Chromium
//   BUDGETML_VSCODE=electron npm run test:integration   desktop VS Code downloaded by @vscode/test-electron (needs internet)
//
// Options: --no-build (use the current dist/), --grep=PATTERN (only matching tests).
// Environment: CODE_SERVER_BIN (use this code-server), BUDGETML_VSCODE_VERSION (electron: default 1.100.3),
//   BUDGETML_VSCODE_CACHE (electron downloads; default ~/.cache/budgetml-vscode/vscode-test),
//   BUDGETML_SCREENSHOT_DIR (where the suite's screenshots go; default .test-tmp/screenshots).
// The last line is "N passed, N failed".
import { runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const flags = new Set(process.argv.slice(2));
const grep = process.argv
  .slice(2)
  .find((a) => a.startsWith('--grep='))
  ?.slice('--grep='.length);
const work = path.join(root, '.test-tmp', 'integration');
const out = path.join(work, 'out');
const results = path.join(work, 'results.json');

if (!flags.has('--no-build')) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
fs.rmSync(work, { recursive: true, force: true });
await buildSuite();
const workspace = copyWorkspace();
writeProfileSettings();
const useElectron = process.env.BUDGETML_VSCODE === 'electron';
const codeServer = useElectron ? undefined : process.env.CODE_SERVER_BIN || ensureCodeServer();

let code;
try {
  code = await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(out, 'index.js'),
    ...(codeServer
      ? { vscodeExecutablePath: path.join(root, 'scripts', 'code-server-shim.mjs') }
      : { version: process.env.BUDGETML_VSCODE_VERSION || '1.100.3' }),
    // a fresh profile inside .test-tmp for every run: settings the suite changes never leak into the next run
    launchArgs: [
      workspace,
      `--user-data-dir=${path.join(work, 'user-data')}`,
      `--extensions-dir=${path.join(work, 'extensions')}`,
      '--disable-extensions',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-workspace-trust',
    ],
    cachePath: process.env.BUDGETML_VSCODE_CACHE || path.join(os.homedir(), '.cache', 'budgetml-vscode', 'vscode-test'),
    extensionTestsEnv: {
      BUDGETML_TEST_RESULTS: results,
      BUDGETML_TEST_GREP: grep ?? '',
      BUDGETML_SCREENSHOT_DIR: codeServer ? process.env.BUDGETML_SCREENSHOT_DIR || path.join(root, '.test-tmp', 'screenshots') : '',
      ...(codeServer ? { CODE_SERVER_BIN: codeServer } : {}),
    },
  });
} catch (error) {
  console.error(`integration suite did not complete: ${error instanceof Error ? error.message : error}`);
  code = 1;
}
const stats = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : undefined;
console.log(`integration suite wall time ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(stats ? `${stats.passes} passed, ${stats.failures} failed` : '0 passed, 1 failed (the suite did not report)');
process.exit(code === 0 && stats && stats.failures === 0 ? 0 : 1);

/**
 * The fresh profile's user settings: Debian's Python, which scripts/setup.sh gives scikit-learn, pandas
 * and PyTorch (the first python3 on the PATH may lack them, and a run checks that before it starts).
 */
function writeProfileSettings() {
  const settings = path.join(work, 'user-data', 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.writeFileSync(settings, JSON.stringify({ 'budgetml.python': '/usr/bin/python3' }, null, 2));
}

/** Each test file becomes one CommonJS bundle; 'vscode' and mocha stay external (one mocha instance). */
async function buildSuite() {
  const dir = path.join(root, 'test', 'integration');
  const entries = fs.readdirSync(dir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await build({
    entryPoints: entries.map((f) => path.join(dir, f)),
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/** A fresh copy of the fixture workspace for every run, outside the fixtures. */
function copyWorkspace() {
  const target = path.join(work, 'workspace');
  fs.cpSync(path.join(root, 'test', 'integration', 'fixtures', 'workspace'), target, { recursive: true });
  return target;
}

function ensureCodeServer() {
  const script = path.join(root, 'scripts', 'ensure-code-server.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n')
    .pop();
}

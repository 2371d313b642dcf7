#!/usr/bin/env node
// `npm run package`: builds the extension and writes budgetml-<version>.vsix, without prompts and
// without the network (the bundles carry their dependencies; relative README links stay relative,
// the pictures are in the package).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `budgetml-${version}.vsix`);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

run(process.execPath, [path.join(root, 'scripts', 'l10n-bundle.mjs')]);
run(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
run(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out]);
console.log(`packaged ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB)`);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, npm_config_yes: 'true' } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

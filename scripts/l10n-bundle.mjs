#!/usr/bin/env node
// Writes l10n/bundle.l10n.json: every `vscode.l10n.t('…')` message of src/host and src/extension.ts
// (and `l10n.t('…')` of the host modules that stay free of vscode, src/host/l10n.ts), the English
// source a translation (bundle.l10n.<locale>.json) starts from.
// With --check it writes nothing and fails when the bundle is not what it would write.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = [path.join(root, 'src', 'extension.ts'), ...walk(path.join(root, 'src', 'host'))];
const messages = new Set();
// a first argument written as one quoted string ('…', "…" or `…` without ${})
const call = /l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/g;
for (const file of files) {
  for (const match of fs.readFileSync(file, 'utf8').matchAll(call)) {
    const raw = match[1] ?? match[2] ?? match[3];
    messages.add(raw.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)));
  }
}
const bundle = Object.fromEntries([...messages].sort().map((m) => [m, m]));
const target = path.join(root, 'l10n', 'bundle.l10n.json');
const text = JSON.stringify(bundle, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error('l10n/bundle.l10n.json is out of date: run node scripts/l10n-bundle.mjs');
    process.exit(1);
  }
  console.log(`l10n/bundle.l10n.json: ${messages.size} messages, up to date`);
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  console.log(`l10n/bundle.l10n.json: ${messages.size} messages`);
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

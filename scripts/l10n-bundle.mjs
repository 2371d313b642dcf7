#!/usr/bin/env node
// Writes l10n/bundle.l10n.json: every `vscode.l10n.t('…')` message of src/host and src/extension.ts,
// the English source a translation (bundle.l10n.<locale>.json) starts from.
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
    messages.add(raw.replace(/\\(['"`\\])/g, '$1'));
  }
}
const bundle = Object.fromEntries([...messages].sort().map((m) => [m, m]));
fs.mkdirSync(path.join(root, 'l10n'), { recursive: true });
fs.writeFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), JSON.stringify(bundle, null, 2) + '\n');
console.log(`l10n/bundle.l10n.json: ${messages.size} messages`);

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

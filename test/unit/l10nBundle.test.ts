import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

/**
 * The extension host's messages and l10n/bundle.l10n.json (written by scripts/l10n-bundle.mjs):
 * every `l10n.t` message is one literal string, and the bundle holds exactly those messages, so a
 * message added or changed without writing the bundle again fails here.
 */

const ROOT = join(__dirname, '..', '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const SOURCES = [join(ROOT, 'src', 'extension.ts'), ...walk(join(ROOT, 'src', 'host'))].map((file) => ({
  name: relative(ROOT, file),
  text: readFileSync(file, 'utf8'),
}));

interface Call {
  where: string;
  /** the message, unescaped; undefined when the first argument is not one literal string */
  message: string | undefined;
  /** what the call's first argument starts with */
  source: string;
}

/** The first argument of every `l10n.t(` (`vscode.l10n.t(` included), read as a literal string when it is one. */
function calls(): Call[] {
  const found: Call[] = [];
  for (const { name, text } of SOURCES) {
    for (const match of text.matchAll(/\bl10n\.t\(\s*/g)) {
      const start = match.index + match[0].length;
      const where = `${name}:${text.slice(0, start).split('\n').length}`;
      found.push({ where, message: literalAt(text, start), source: text.slice(start, start + 60).split('\n')[0] });
    }
  }
  return found;
}

/** The string literal starting at `start` ('…', "…" or `…` without `${`), unescaped; else undefined. */
function literalAt(text: string, start: number): string | undefined {
  const quote = text[start];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const next = text[++i];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if (c === quote) {
      return value;
    } else if (quote === '`' && c === '$' && text[i + 1] === '{') {
      return undefined;
    } else if (c === '\n' && quote !== '`') {
      return undefined;
    } else {
      value += c;
    }
  }
  return undefined;
}

const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;

describe('l10n/bundle.l10n.json', () => {
  const found = calls();

  it('finds the messages of the host', () => {
    assert.ok(found.length > 100, `only ${found.length} l10n.t calls found`);
  });

  it('every l10n.t message is one literal string (the bundle can hold it)', () => {
    const computed = found.filter((c) => c.message === undefined).map((c) => `${c.where}: l10n.t(${c.source}`);
    assert.deepEqual(computed, [], 'pass the variable parts as {0}, {1}… arguments');
  });

  it('holds every message of src/host and src/extension.ts (run node scripts/l10n-bundle.mjs after changing one)', () => {
    const missing = found.filter((c) => c.message !== undefined && !(c.message in bundle)).map((c) => `${c.where}: ${c.message}`);
    assert.deepEqual(missing, []);
  });

  it('holds no message the sources no longer use, each as its own English text', () => {
    const used = new Set(found.map((c) => c.message));
    assert.deepEqual(
      Object.keys(bundle).filter((key) => !used.has(key)),
      [],
    );
    for (const [key, value] of Object.entries(bundle)) assert.equal(value, key);
  });

  it('notifications, input boxes and quick picks do not show literal text past l10n.t', () => {
    const direct = /\b(show(?:Information|Warning|Error)Message\(\s*|(?:prompt|placeHolder):\s*)(['"`])/g;
    const found = SOURCES.flatMap(({ name, text }) =>
      [...text.matchAll(direct)].map((m) => `${name}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`),
    );
    assert.deepEqual(found, []);
  });
});

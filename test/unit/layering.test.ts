import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';

/** The dependency rule of the architecture, checked on every import of every source file. */

const ROOT = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or requires (static, dynamic and type-only). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

type Rule = (specifier: string, file: string) => string | undefined;

function folderOf(specifier: string, file: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(ROOT, resolve(file, '..', specifier)).split(sep).slice(0, 2).join('/');
}

const isBuiltin = (s: string) => s.startsWith('node:') || builtinModules.includes(s);

function check(folder: string, rule: Rule): string[] {
  return sourceFiles(join(ROOT, folder)).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8')).flatMap((specifier) => {
      const problem = rule(specifier, file);
      return problem ? [`${relative(ROOT, file)} imports '${specifier}': ${problem}`] : [];
    }),
  );
}

test('src/shared imports only zod and itself', () => {
  const problems = check('src/shared', (s, file) => {
    if (s === 'zod') return undefined;
    const folder = folderOf(s, file);
    return folder === 'src/shared' ? undefined : 'shared is pure';
  });
  assert.deepEqual(problems, []);
});

test('src/core never imports vscode, the host, the cli or the webview', () => {
  const allowedPackages = new Set(['zod', 'openai', '@google/genai', 'diff']);
  const problems = check('src/core', (s, file) => {
    if (isBuiltin(s) || allowedPackages.has(s)) return undefined;
    const folder = folderOf(s, file);
    if (folder === 'src/core' || folder === 'src/shared') return undefined;
    return folder ? `core may not depend on ${folder}` : 'not an allowed package for the core';
  });
  assert.deepEqual(problems, []);
});

test('src/core never imports the shared Node layer (src/node)', () => {
  const problems = check('src/core', (s, file) => (folderOf(s, file) === 'src/node' ? 'the core is IDE- and process-agnostic; src/node serves the host and the cli' : undefined));
  assert.deepEqual(problems, []);
});

test('src/node imports only Node built-ins and itself (never vscode, the host, the cli or the webview)', () => {
  const problems = check('src/node', (s, file) => {
    if (isBuiltin(s)) return undefined;
    const folder = folderOf(s, file);
    if (folder === 'src/node') return undefined;
    return folder ? `src/node may not depend on ${folder}` : 'src/node uses Node built-ins only';
  });
  assert.deepEqual(problems, []);
});

test('only src/host and src/extension.ts import vscode', () => {
  const problems = ['src/core', 'src/shared', 'src/cli', 'src/node', 'webview-ui'].flatMap((folder) => check(folder, (s) => (s === 'vscode' ? 'vscode belongs to the host' : undefined)));
  assert.deepEqual(problems, []);
});

test('webview-ui imports only src/shared', () => {
  const problems = check('webview-ui', (s, file) => {
    const folder = folderOf(s, file);
    if (!folder) return undefined;
    return folder === 'src/shared' || folder.startsWith('webview-ui') ? undefined : `the webview may only use src/shared, not ${folder}`;
  });
  assert.deepEqual(problems, []);
});

test('nothing in src imports from webview-ui', () => {
  const problems = check('src', (s, file) => (folderOf(s, file)?.startsWith('webview-ui') ? 'src must not depend on the webview' : undefined));
  assert.deepEqual(problems, []);
});

test('the import scanner sees every kind of import', () => {
  const sample = `import a from 'x1';\nimport type { B } from "x2";\nconst c = await import('x3');\nconst d = require("x4");\nimport 'x5';`;
  assert.deepEqual(importsOf(sample).sort(), ['x1', 'x2', 'x3', 'x4', 'x5']);
});

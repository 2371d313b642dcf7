import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

/** The dependency rule of the architecture is an ESLint rule (scripts/lint/layering.mjs); `npm run lint` applies it to the tree. */

const ROOT = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'budgetml/layering').map((m) => m.message);
}

async function assertAllowed(file: string, specifier: string): Promise<void> {
  assert.deepEqual(await problems(file, `import '${specifier}';\n`), [], `${file} may import ${specifier}`);
}

async function assertRefused(file: string, specifier: string, why: RegExp): Promise<void> {
  const found = await problems(file, `import '${specifier}';\n`);
  assert.equal(found.length, 1, `${file} must not import ${specifier}`);
  assert.match(found[0], why);
}

describe('the layering rule', () => {
  test('src/shared imports only zod and itself', async () => {
    await assertAllowed('src/shared/protocol.ts', 'zod');
    await assertAllowed('src/shared/protocol.ts', './viewModels');
    await assertRefused('src/shared/protocol.ts', '../core/run', /src\/core: shared is pure/);
    await assertRefused('src/shared/protocol.ts', 'node:fs', /no Node built-ins/);
  });

  test('the core: itself, src/shared, Node built-ins and its four packages; never the host, the CLI, src/node or vscode', async () => {
    const file = 'src/core/run/scoring.ts';
    for (const ok of [
      '../host',
      '../experiments/types',
      '../../shared/viewModels',
      'node:fs',
      'path',
      'zod',
      'openai',
      '@google/genai',
      'diff',
    ]) {
      await assertAllowed(file, ok);
    }
    await assertRefused(file, '../../host/runLog', /src\/host/);
    await assertRefused(file, '../../cli/main', /src\/cli/);
    await assertRefused(file, '../../node/processTree', /src\/node/);
    await assertRefused(file, 'vscode', /vscode belongs to the host/);
    await assertRefused(file, 'express', /not an allowed package/);
  });

  test('the same relative path means a different folder at a different depth', async () => {
    await assertAllowed('src/core/run/scoring.ts', '../host');
    await assertRefused('src/core/run.ts', '../host/runLog', /src\/host/);
  });

  test('src/node uses Node built-ins and the core ports it implements only', async () => {
    await assertAllowed('src/node/processTree.ts', 'node:child_process');
    await assertAllowed('src/node/compute/localExecutor.ts', '../../core/host');
    await assertAllowed('src/node/compute/computeExecutor.ts', '../../core/config');
    await assertRefused('src/node/processTree.ts', '../core/run', /src\/core/);
    await assertRefused('src/node/compute/sshExecutor.ts', '../../core/workspace', /src\/core/);
    await assertRefused('src/node/processTree.ts', 'zod', /not an allowed package/);
  });

  test('only the host and the entry point import vscode; the CLI and the host never reach into each other', async () => {
    await assertAllowed('src/host/commands.ts', 'vscode');
    await assertAllowed('src/extension.ts', 'vscode');
    await assertRefused('src/cli/main.ts', 'vscode', /vscode belongs to the host/);
    await assertRefused('src/cli/main.ts', '../host/runLog', /src\/host/);
    await assertRefused('src/host/commands.ts', '../cli/args', /src\/cli/);
    await assertRefused('src/host/commands.ts', '../../webview-ui/main', /webview-ui/);
  });

  test('webview-ui imports only src/shared and itself', async () => {
    await assertAllowed('webview-ui/panels/cost.ts', '../../src/shared/viewModels');
    await assertAllowed('webview-ui/main.ts', './dom');
    await assertRefused('webview-ui/main.ts', '../src/core/run', /src\/core: the webview/);
    await assertRefused('webview-ui/main.ts', 'node:fs', /no Node built-ins/);
  });

  test('every kind of import is seen: type-only, re-exports, dynamic import and require', async () => {
    const file = 'src/core/run.ts';
    const code = [
      `import type { A } from '../host/api';`,
      `export * from '../host/api';`,
      `export { b } from '../host/api';`,
      `const c = await import('../host/api');`,
      `const d = require('../host/api');`,
    ].join('\n');
    assert.equal((await problems(file, code)).length, 5);
  });

  test('tests, scripts and benchmarks are outside the layers', async () => {
    await assertAllowed('test/unit/anything.test.ts', '../../src/host/runLog');
    await assertAllowed('bench/run.ts', 'vscode');
  });
});

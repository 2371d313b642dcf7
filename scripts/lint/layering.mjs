// The dependency rule of the architecture (ARCHITECTURE.md), as an ESLint rule: every import of every source
// file is resolved against the file's own folder, so `../host` means src/core/host.ts in the core and src/host
// in the CLI.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');

/** What each layer may import: its allowed folders, npm packages ('*' for any but vscode) and Node built-ins. */
export const LAYERS = {
  'src/shared': { folders: ['src/shared'], packages: ['zod'], builtins: false, why: 'shared is pure (zod and itself)' },
  'src/core': {
    folders: ['src/core', 'src/shared'],
    packages: ['zod', 'openai', '@google/genai', 'diff', 'gpt-tokenizer'],
    builtins: true,
    why: 'the core is IDE- and process-agnostic',
  },
  'src/node': {
    folders: ['src/node'],
    // the ports it implements (ScriptExecutor backends), the settings that choose them, the pure nvidia-smi reader
    files: ['src/core/host.ts', 'src/core/config.ts', 'src/core/compute/gpu.ts'],
    packages: [],
    builtins: true,
    why: 'src/node uses Node built-ins and the core ports it implements only',
  },
  'src/cli': {
    folders: ['src/cli', 'src/core', 'src/shared', 'src/node'],
    packages: '*',
    builtins: true,
    why: 'the CLI is a host of the core',
  },
  'src/host': {
    folders: ['src/host', 'src/core', 'src/shared', 'src/node'],
    packages: '*',
    builtins: true,
    vscode: true,
    why: 'the extension host never reaches into the CLI or the webview',
  },
  'src/extension.ts': {
    folders: ['src/host', 'src/shared'],
    packages: '*',
    builtins: true,
    vscode: true,
    why: 'the entry point only starts the host',
  },
  'webview-ui': { folders: ['webview-ui', 'src/shared'], packages: [], builtins: false, why: 'the webview may only use src/shared' },
};

/** The layer a path in the project belongs to, or undefined outside src and webview-ui. */
export function layerOf(path) {
  const parts = relative(ROOT, path).split(sep);
  if (parts[0] === 'webview-ui') return 'webview-ui';
  if (parts[0] !== 'src' || parts.length < 2) return undefined;
  return `src/${parts[1]}`;
}

const isBuiltin = (s) => s.startsWith('node:') || builtinModules.includes(s);
const packageOf = (s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);

/** Why `specifier`, imported by `file`, breaks the rule; undefined when it does not. */
export function problemOf(specifier, file) {
  const layer = LAYERS[layerOf(file)];
  if (!layer) return undefined;
  if (specifier.startsWith('.')) {
    const path = relative(ROOT, resolve(dirname(file), specifier));
    if (layer.files?.includes(`${path.replace(/\.ts$/, '')}.ts`)) return undefined;
    const target = layerOf(resolve(dirname(file), specifier)) ?? path;
    const folder = target.replace(/\.ts$/, '');
    return layer.folders.some((allowed) => allowed === folder || allowed === target)
      ? undefined
      : `may not depend on ${folder}: ${layer.why}`;
  }
  if (specifier === 'vscode') return layer.vscode ? undefined : `vscode belongs to the host: ${layer.why}`;
  if (isBuiltin(specifier)) return layer.builtins ? undefined : `no Node built-ins: ${layer.why}`;
  return layer.packages === '*' || layer.packages.includes(packageOf(specifier)) ? undefined : `not an allowed package: ${layer.why}`;
}

const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'the dependency rule between src/shared, core, node, cli, host and webview-ui' },
    schema: [],
  },
  create(context) {
    const check = (node) => {
      if (node?.type !== 'Literal' || typeof node.value !== 'string') return;
      const problem = problemOf(node.value, context.filename);
      if (problem) context.report({ node, message: `'${node.value}' ${problem}` });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportEqualsDeclaration: (node) => check(node.moduleReference?.expression),
      CallExpression: (node) => node.callee.type === 'Identifier' && node.callee.name === 'require' && check(node.arguments[0]),
    };
  },
};

export default { rules: { layering } };

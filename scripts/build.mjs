// Bundles the extension and the CLI with esbuild (minified, CommonJS for Node 20).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, sourcemap: false, logLevel: 'warning' };

// The extension loads the agent core (zod, SDKs, run loop) only when a run starts: `require('./agentCore')`
// in src/host/agentCoreLoader.ts becomes a require of its own file, dist/agentCore.js, so activation stays fast.
const lazyAgentCore = {
  name: 'lazy-agent-core',
  setup(b) {
    b.onResolve({ filter: /^\.\/agentCore$/ }, (args) =>
      args.kind === 'require-call' ? { path: './agentCore.js', external: true } : undefined,
    );
  },
};
await Promise.all([
  build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyAgentCore] }),
  build({ ...common, entryPoints: ['src/host/agentCore.ts'], outfile: 'dist/agentCore.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
// the sidebar UI: dist/webview.js
await import('./build-webview.mjs');

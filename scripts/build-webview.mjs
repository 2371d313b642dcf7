// Bundles the sidebar UI (webview-ui/main.ts) into dist/webview.js: browser, IIFE, minified.
// The stylesheet is media/sidebar.css, used as it is. Fails when the bundle grows past its budget.
//   node scripts/build-webview.mjs [outfile]     (the render test builds into a temporary folder)
import { build } from 'esbuild';
import { statSync } from 'node:fs';

const OUTFILE = process.argv[2] ?? 'dist/webview.js';
const BUDGET_BYTES = 150 * 1024;

await build({
  entryPoints: ['webview-ui/main.ts'],
  outfile: OUTFILE,
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
});

const size = statSync(OUTFILE).size;
if (size > BUDGET_BYTES) {
  console.error(`${OUTFILE} is ${(size / 1024).toFixed(1)} KB, over the ${BUDGET_BYTES / 1024} KB budget`);
  process.exit(1);
}

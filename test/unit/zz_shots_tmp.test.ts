import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { sidebarHtml } from '../../src/host/sidebar/sidebarHtml';
import { endedView, noTaskView, realisticView } from './sidebarRenderFixture';
import { THEMES, themeCss } from './sidebarThemes';

const ROOT = resolve(__dirname, '../..');
test('shots', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shots-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-webview.mjs'), join(dir, 'webview.js')], { cwd: ROOT });
  copyFileSync(join(ROOT, 'media/sidebar.css'), join(dir, 'sidebar.css'));
  const views: Record<string, unknown> = { ended: endedView(), notask: noTaskView(), mid: realisticView() };
  const s = createServer((req, res) => {
    const file = join(dir, (req.url ?? '/').split('?')[0]);
    if (!existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': ({ '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' } as Record<string, string>)[extname(file)] ?? 'x' }).end(readFileSync(file));
  });
  await new Promise<void>((d) => s.listen(0, '127.0.0.1', () => d()));
  const origin = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  for (const [name, view] of Object.entries(views)) {
    writeFileSync(join(dir, `stub-${name}.js`), `window.acquireVsCodeApi = () => ({ postMessage: (m) => { if (m.type === 'ready') setTimeout(() => window.postMessage({ type: 'state', view: ${JSON.stringify(view)} }, '*'), 0); }, getState: () => undefined, setState: () => undefined });`);
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  for (const theme of Object.keys(THEMES) as (keyof typeof THEMES)[]) {
    writeFileSync(join(dir, `theme-${theme}.css`), themeCss(THEMES[theme]));
    for (const name of Object.keys(views)) {
      const html = sidebarHtml({ cspSource: origin, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/sidebar.css`, nonce: 'n' })
        .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme-${theme}.css">\n<link rel="stylesheet"`)
        .replace(`<script nonce="n"`, `<script nonce="n" src="${origin}/stub-${name}.js"></script>\n<script nonce="n"`);
      writeFileSync(join(dir, `${name}-${theme}.html`), html);
      const page = await browser.newPage({ viewport: { width: Number(process.env.W ?? 300), height: 900 }, deviceScaleFactor: 2 });
      await page.goto(`${origin}/${name}-${theme}.html`);
      await page.waitForSelector('#app:not(.empty)');
      await page.waitForTimeout(100);
      for (const panel of ['run', 'facts', 'metrics', 'timeline']) {
        await page.locator(`.panel-${panel}`).screenshot({ path: `/tmp/shots/${name}-${theme}-${panel}.png` });
      }
      await page.close();
    }
  }
  await browser.close();
  s.close();
});

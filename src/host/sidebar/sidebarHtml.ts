import { randomBytes } from 'node:crypto';

/** The sidebar page: no inline script or style, only the bundle (with a nonce) and the stylesheets. */

/** The sidebar's stylesheets in media/, in the order they apply. */
export const SIDEBAR_STYLESHEETS: readonly string[] = ['sidebar.css', 'sidebar-results.css'];

export interface SidebarPage {
  /** the webview's `cspSource` */
  cspSource: string;
  scriptUri: string;
  /** the stylesheets, in order (SIDEBAR_STYLESHEETS) */
  styleUris: readonly string[];
  nonce: string;
  /** the view to draw at once, before the first message from the host */
  initialView?: unknown;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function sidebarHtml(page: SidebarPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page.cspSource, page.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${page.styleUris.map((uri) => `<link rel="stylesheet" href="${uri}">`).join('\n')}
<title>BudgetML Agent</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
${page.initialView === undefined ? '' : `<script type="application/json" id="initial-view">${jsonForScript(page.initialView)}</script>\n`}<script nonce="${page.nonce}" src="${page.scriptUri}"></script>
</body>
</html>`;
}

/** JSON that cannot close the script element it sits in. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

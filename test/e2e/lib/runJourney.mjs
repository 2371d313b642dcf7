// The frame of an end-to-end journey: a temporary folder, the things to close at the end (server,
// browser, fake models), a screenshot when the journey breaks, the closing report and exit code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check, JourneyStopped, report, say } from './checks.mjs';
import * as wb from './workbench.mjs';

/**
 * Runs `journey({ tmp, cleanup, setPage })` and exits with its result. The temporary folder is
 * removed when every check passed (kept with BUDGETML_KEEP_TEST_TMP=1 or on a failure).
 * @param {string} prefix name of the temporary folder
 * @param {(ctx: { tmp: string, cleanup: (() => unknown)[], setPage: (page: import('playwright-core').Page) => void }) => Promise<void>} journey
 */
export async function runJourney(prefix, journey) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const cleanup = [];
  let page;
  try {
    await journey({ tmp, cleanup, setPage: (p) => (page = p) });
  } catch (error) {
    if (!(error instanceof JourneyStopped)) {
      say(`the journey broke: ${error instanceof Error ? error.stack : error}`);
      await check('the journey runs to its end', () => {
        throw error;
      });
    }
    if (page)
      await wb.screenshot(page, path.join(tmp, 'failure.png')).then(
        (f) => say(`screenshot of the failure: ${f}`),
        () => undefined,
      );
  } finally {
    for (const close of cleanup.reverse()) await Promise.resolve(close()).catch(() => undefined);
  }
  const code = report();
  if (code === 0 && !process.env.BUDGETML_KEEP_TEST_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`temporary folder (server log, workspace, run folder): ${tmp}`);
  process.exit(code);
}

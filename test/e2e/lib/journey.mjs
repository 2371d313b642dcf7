// What the journey reads back: the sidebar's panels as text, and the run folder on disk.
import fs from 'node:fs';
import path from 'node:path';

/** The sidebar's panels as the user reads them (the webview frame that holds #app). */
export async function readSidebar(frame) {
  return frame.evaluate(() => {
    const text = (selector) => document.querySelector(selector)?.textContent?.trim() ?? '';
    return {
      phase: text('#app .phase'),
      plan: text('#app .panel-plan .plan-text'),
      facts: [...document.querySelectorAll('#app .panel-facts .fact')].map((li) => li.textContent.trim()),
      spend: text('#app .panel-cost .spend'),
      metricsSummary: text('#app .panel-metrics .panel-summary'),
      metricsLegend: text('#app .panel-metrics .legend'),
      timeline: text('#app .panel-timeline'),
    };
  });
}

/** The only run folder of a workspace: .budgetml/runs/<id>. */
export function runFolder(workspace) {
  const root = path.join(workspace, '.budgetml', 'runs');
  const runs = fs.existsSync(root) ? fs.readdirSync(root) : [];
  if (runs.length !== 1) throw new Error(`expected one run folder in ${root}, found ${runs.length}`);
  return path.join(root, runs[0]);
}

/** The records of a run's log.jsonl; a torn last line (a record being written) is left out. */
export function readLog(runDir) {
  const file = path.join(runDir, 'log.jsonl');
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  const records = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // torn
    }
  }
  return records;
}

/** Polls `probe` until it returns something truthy; returns that. `what` names the wait in the error. */
export async function waitFor(probe, what, timeout = 30000, every = 100) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

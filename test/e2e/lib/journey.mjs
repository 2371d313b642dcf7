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

/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { emptySidebarView, type SidebarView } from '../../src/shared/viewModels';
import { sidebarLimits } from '../../src/host/sidebar/limits';
import { SidebarSession } from '../../src/host/sidebar/sidebarSession';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { planner, resetSettings, useFakeModels } from './fakeRun';
import { budgetml, nextRender, screenshot, sleep, useDarkTheme, waitFor, workspaceDir } from './helpers';

/**
 * Equal views. The spend may differ in the last bits (a sum of the calls against the ledger's total),
 * a step's duration by a millisecond (the live clock against the log's timestamps), and the expert's
 * quote is live only (what the next Ask the Expert would cost; an ended run has no next step).
 */
function assertSameView(actual: SidebarView, expected: SidebarView): void {
  assert.ok(Math.abs(actual.cost.usd - expected.cost.usd) < 1e-9, `spend ${actual.cost.usd} vs ${expected.cost.usd}`);
  actual.timeline.forEach((entry, i) => {
    const other = expected.timeline[i]?.durationMs;
    if (entry.durationMs !== undefined && other !== undefined)
      assert.ok(Math.abs(entry.durationMs - other) <= 5, `step ${entry.step} duration`);
  });
  assert.deepEqual(comparable(actual), comparable(expected));
}

function comparable(view: SidebarView): SidebarView {
  return {
    ...view,
    cost: { ...view.cost, usd: 0, expertWorstCaseUsd: null },
    timeline: view.timeline.map((entry) => ({ ...entry, durationMs: 0 })),
  };
}

/** A run of one step, for when this file runs alone. */
async function oneStepRun(): Promise<void> {
  const server = await startFakeOpenAI({ replies: planner([{ action: 'Final Answer', input: { final_answer: 'done' } }]) });
  try {
    await useFakeModels(server);
    await vscode.commands.executeCommand('budgetml.startTask', { goal: 'Say you are done.' });
  } finally {
    await resetSettings();
    await server.close();
  }
}

describe('the sidebar across hide/show and deactivate/activate', function () {
  this.timeout(60000);

  it('shows the newest run again', async () => {
    const restoreTheme = await useDarkTheme();
    const api = await budgetml();
    if (!api.sidebar.session.view.run) await oneStepRun();
    const live = api.sidebar.session.view;
    assert.ok(live.run, 'a run was shown');

    // hidden and shown: the page loads again, draws what it kept, and gets the whole state
    await vscode.commands.executeCommand('budgetml.sidebar.focus');
    await waitFor(() => api.sidebar.provider.delivered?.run?.id === live.run?.id, 'the run in the page');
    await sleep(500); // the workbench keeps the page's state a moment after the page sets it
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const reshown = nextRender(api.sidebar.provider);
    await vscode.commands.executeCommand('budgetml.sidebar.focus');
    assert.equal((await reshown).source, 'restored', 'the page draws its kept state first');
    await waitFor(() => api.sidebar.provider.delivered?.run?.id === live.run?.id, 'the state after hide/show');
    assertSameView(api.sidebar.provider.delivered!, live);

    // deactivate/activate: the view starts empty, as a new provider does, and a new session (built as
    // activate() builds it) restores the newest run from its folder
    api.sidebar.provider.update(emptySidebarView());
    await waitFor(() => api.sidebar.provider.delivered?.run === null, 'the empty view');
    const fresh = new SidebarSession({ show: (view) => api.sidebar.provider.update(view), limits: sidebarLimits });
    fresh.setSetup(api.setup.current);
    await fresh.restoreNewest(workspaceDir());
    assertSameView(fresh.view, live);
    const delivered = await waitFor(
      () => (api.sidebar.provider.delivered?.run ? api.sidebar.provider.delivered : undefined),
      'the restored run in the page',
    );
    assertSameView(delivered, live);
    await screenshot('sidebar-restored', { clearNotifications: true });
    await restoreTheme();
  });

  it('draws even when another webview opens while its page loads (code-server: one service worker for all)', async () => {
    // Every webview of VS Code for the Web registers the shared service worker again; a page that
    // loads at that moment can lose its script and stay blank. The view then writes its page again.
    const api = await budgetml();
    for (const delay of [0, 100, 250, 500, 800]) {
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      const rendered = nextRender(api.sidebar.provider, 30000);
      await vscode.commands.executeCommand('budgetml.sidebar.focus');
      await sleep(delay);
      const panel = vscode.window.createWebviewPanel(
        'budgetml.test.other',
        `Another webview (${delay} ms)`,
        { viewColumn: vscode.ViewColumn.One, preserveFocus: true },
        {},
      );
      panel.webview.html = '<!DOCTYPE html><html><body>another webview</body></html>';
      try {
        await rendered.catch(() => assert.fail(`the sidebar stayed blank, with a webview opened ${delay} ms after it was shown`));
        await waitFor(
          () => api.sidebar.provider.delivered,
          `the state in the sidebar, with a webview opened ${delay} ms after it was shown`,
        );
      } finally {
        panel.dispose();
      }
    }
  });
});

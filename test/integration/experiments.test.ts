/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExperimentRecord } from '../../src/core/experiments/types';
import type { BudgetmlApi } from '../../src/host/api';
import { COMPARE_PANEL_TYPE, type Comparison } from '../../src/host/experiments/comparePanel';
import type { ExperimentNode, RunNode } from '../../src/host/experiments/experimentsTree';
import type { RestoreResult } from '../../src/host/experiments/restoreExperiment';
import { budgetml, closeAllEditors, EXTENSION_ID, inWorkspace, screenshot, sleep, useDarkTheme, waitFor } from './helpers';

/**
 * The Experiments view on a recorded run (test/integration/fixtures/experimentRuns: a baseline and
 * three Execute Script runs of classify.py, lr 0.1 → 0.01 → 0.001 → 0, the last one failing), and
 * Compare Experiments / Restore Experiment Code on it, in a real VS Code.
 */

const RUN_ID = '2026-11-20T09-15-42-k3xq';
/** the same run copied as if the CLI had started it a day later, without its summary yet */
const OTHER_ID = '2026-11-21T10-02-13-zq7d';
const SCRIPT = 'classify.py';

function fixtureDir(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return path.join(extension.extensionPath, 'test', 'integration', 'fixtures', 'experimentRuns', RUN_ID);
}

function readRecords(dir: string): ExperimentRecord[] {
  return fs
    .readFileSync(path.join(dir, 'experiments.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExperimentRecord);
}

/** The text experiment `id` ran, from the fixture's code snapshots. */
function snapshotText(id: number): string {
  const record = readRecords(fixtureDir()).find((r) => r.id === id)!;
  return fs.readFileSync(path.join(fixtureDir(), 'code', record.code![SCRIPT]), 'utf8');
}

function iconOf(item: vscode.TreeItem): [string, string | undefined] {
  const icon = item.iconPath as vscode.ThemeIcon;
  return [icon.id, icon.color?.id];
}

function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

describe('Experiments view', function () {
  this.timeout(60000);
  let api: BudgetmlApi;
  const runDir = inWorkspace('.budgetml', 'runs', RUN_ID);
  const otherDir = inWorkspace('.budgetml', 'runs', OTHER_ID);
  const liveDir = inWorkspace('.budgetml', 'runs', '2026-11-22T08-00-00-live');

  const tree = () => api.experiments.tree;
  const runNode = (id = RUN_ID): RunNode | undefined => tree().runs.find((r) => r.run.id === id);
  const experiment = (id: number, run = RUN_ID): ExperimentNode => {
    const node = runNode(run)?.children.find((c): c is ExperimentNode => c.kind === 'experiment' && c.record.id === id);
    if (!node) throw new Error(`no experiment #${id} in ${run}`);
    return node;
  };

  before(async () => {
    fs.cpSync(fixtureDir(), runDir, { recursive: true });
    // the run is an old one: the sidebar's "newest run" stays the suite's own
    const old = new Date('2026-11-20T09:22:31Z');
    fs.utimesSync(path.join(runDir, 'log.jsonl'), old, old);
    fs.writeFileSync(inWorkspace(SCRIPT), snapshotText(4));
    api = await budgetml();
    await api.experiments.ready;
  });

  after(async () => {
    await closeAllEditors();
    for (const dir of [runDir, otherDir, liveDir]) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(inWorkspace(SCRIPT), { force: true });
    await tree().refresh();
    // the Agent view above still draws after the comparisons opened and closed their webviews
    await vscode.commands.executeCommand('budgetml.sidebar.focus');
    await waitFor(() => api.sidebar.provider.delivered, 'the Agent view to draw after the Experiments tests', 30000);
  });

  it('shows the run with its verdict and each experiment with its metric, duration and change', async () => {
    await tree().refresh();
    const run = await waitFor(() => runNode(), 'the fixture run in the view');
    const item = tree().getTreeItem(run);
    assert.equal(item.label, 'Raise the test accuracy of classify.py…');
    assert.equal(item.description, 'improved 0.7139 → 0.9722 (+36 %)');
    assert.equal(item.contextValue, 'run');
    assert.deepEqual(iconOf(item), ['pass', 'testing.iconPassed']);
    const children = tree()
      .getChildren(run)
      .map((node) => tree().getTreeItem(node));
    assert.deepEqual(
      children.map((c) => [c.label, c.description, c.contextValue, ...iconOf(c)]),
      [
        ['#1 baseline · classify.py', 'test accuracy 0.7139 · 8.4 s', 'experiment', 'beaker', undefined],
        ['#2 step 2 · classify.py', 'test accuracy 0.9111 · 9.1 s · lr 0.1→0.01', 'experiment', 'beaker', undefined],
        [
          '#3 step 4 · classify.py',
          'test accuracy 0.9722 · 14.9 s · lr 0.01→0.001, hidden_units 64→128',
          'experiment',
          'star-full',
          'testing.iconPassed',
        ],
        ['#4 step 5 · classify.py', 'failed (exit code 1) · 1.5 s · lr 0.001→0', 'experiment', 'error', 'testing.iconFailed'],
      ],
    );
    const failedTip = (children[3].tooltip as vscode.MarkdownString).value;
    assert.ok(failedTip.startsWith('$(error) **\\#4 step 5 · classify\\.py** — failed (exit code 1), 1.5 s'), failedTip);
    assert.ok(
      failedTip.includes(
        "$(error) `sklearn.utils._param_validation.InvalidParameterError: The 'learning_rate_init' parameter of MLPClassifier",
      ),
    );
    assert.equal((children[3].tooltip as vscode.MarkdownString).supportThemeIcons, true);

    const restoreTheme = await useDarkTheme();
    await vscode.commands.executeCommand('budgetml.experiments.focus');
    await api.experiments.view.reveal(experiment(3), { select: true, focus: true, expand: true });
    await waitFor(() => api.sidebar.provider.delivered, 'the Agent view above the Experiments view', 30000);
    await sleep(500);
    await screenshot('experiments-view', { clearNotifications: true });
    await restoreTheme();
  });

  it('follows a run started elsewhere through its files, and compares across runs', async () => {
    await vscode.commands.executeCommand('budgetml.experiments.focus');
    fs.mkdirSync(path.join(otherDir, 'code'), { recursive: true });
    // as a CLI run does: the folder first, its first experiment a while later (the baseline takes time)
    await sleep(1000);
    for (const file of fs.readdirSync(path.join(runDir, 'code')))
      fs.copyFileSync(path.join(runDir, 'code', file), path.join(otherDir, 'code', file));
    const dayLater = (iso: string) => new Date(Date.parse(iso) + 86_400_000 + 3_751_000).toISOString();
    const records = readRecords(runDir).map((r) => ({ ...r, startedAt: dayLater(r.startedAt) }));
    const write = (list: ExperimentRecord[]) =>
      fs.writeFileSync(path.join(otherDir, 'experiments.jsonl'), list.map((r) => JSON.stringify(r) + '\n').join(''));
    write(records.slice(0, 3));
    // no refresh() here: the file watchers, or the look at the folders while the view is visible, see experiments.jsonl appear
    const other = await waitFor(() => runNode(OTHER_ID), 'the run started elsewhere', 15000);
    assert.equal(tree().runs[0], other, 'the newest run comes first');
    assert.equal(tree().getTreeItem(other).description, 'unfinished');
    assert.match(
      String(tree().getTreeItem(other).label),
      /^2026-11-21T10-02-13-zq7d · 2026-11-2\d \d\d:\d\d$/,
      'no goal: the run id and time',
    );
    write(records);
    await waitFor(() => runNode(OTHER_ID)?.children.length === 4, 'the fourth experiment of the run started elsewhere', 15000);

    const comparison = await vscode.commands.executeCommand<Comparison>('budgetml.compareExperiments', experiment(3, OTHER_ID), [
      experiment(3, OTHER_ID),
      experiment(1),
    ]);
    assert.match(comparison.model.title, /^Compare #1 \(2026-11-20 \d\d:\d\d\) ↔ #3 \(2026-11-21 \d\d:\d\d\)$/);
    assert.equal(comparison.diffTitle, `${SCRIPT} (${comparison.model.title.slice('Compare '.length)})`);
    const diff = await waitFor(
      () => allTabs().find((t) => t.input instanceof vscode.TabInputTextDiff && t.label === comparison.diffTitle),
      'the diff across runs',
    );
    const input = diff.input as vscode.TabInputTextDiff;
    assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), snapshotText(1));
    assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), snapshotText(3));
    await closeAllEditors();

    fs.rmSync(otherDir, { recursive: true });
    await waitFor(() => !runNode(OTHER_ID), 'the deleted run to leave the view', 15000);
  });

  it('follows the live run by its events: the running experiment and its metrics', async () => {
    fs.mkdirSync(liveDir, { recursive: true });
    tree().handle({
      type: 'run-started',
      runId: path.basename(liveDir),
      runDir: liveDir,
      goal: 'Lower the loss',
      budgetUsd: 1,
      resumedFromStep: 0,
    });
    tree().handle({
      type: 'experiment-started',
      id: 1,
      step: 0,
      kind: 'baseline',
      script: SCRIPT,
      command: 'python classify.py',
      startedAt: Date.now(),
      timeoutSec: null,
    });
    tree().handle({ type: 'metric', experiment: 1, step: 0, name: 'test accuracy', value: 0.8123 });
    const live = await waitFor(
      () => (runNode(path.basename(liveDir))?.children.length === 1 ? runNode(path.basename(liveDir)) : undefined),
      'the live run',
    );
    assert.equal(tree().getTreeItem(live).description, 'running');
    assert.deepEqual(iconOf(tree().getTreeItem(live)), ['sync~spin', undefined]);
    const pending = tree().getTreeItem(live.children[0]);
    assert.deepEqual(
      [pending.label, pending.description, pending.contextValue, ...iconOf(pending)],
      ['#1 baseline · classify.py', 'running · test accuracy 0.8123', 'pendingExperiment', 'sync~spin', undefined],
    );

    const record = { ...readRecords(runDir)[0], startedAt: '2026-11-22T08:00:05.000Z' };
    tree().handle({ type: 'experiment', experiment: record, time: record.startedAt });
    tree().handle({ type: 'run-ended', status: 'cancelled' });
    await waitFor(() => runNode(path.basename(liveDir))?.children[0]?.kind === 'experiment' || undefined, 'the recorded experiment');
    const ended = runNode(path.basename(liveDir))!;
    assert.equal(tree().getTreeItem(ended).description, 'unfinished');
    assert.equal(tree().getTreeItem(ended.children[0]).description, 'test accuracy 0.7139 · 8.4 s');
    fs.rmSync(liveDir, { recursive: true });
    await tree().refresh();
    assert.equal(runNode(path.basename(liveDir)), undefined);
  });

  it('compares two experiments: their snapshots in the diff editor, metrics and the rest in a panel', async () => {
    const comparison = await vscode.commands.executeCommand<Comparison>('budgetml.compareExperiments', experiment(3), [
      experiment(3),
      experiment(2),
    ]);
    assert.equal(comparison.model.title, 'Compare #2 ↔ #3');
    assert.equal(comparison.diffTitle, 'classify.py (#2 ↔ #3)');
    const diff = await waitFor(
      () => allTabs().find((t) => t.input instanceof vscode.TabInputTextDiff && t.label === 'classify.py (#2 ↔ #3)'),
      'the diff editor',
    );
    const input = diff.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, 'budgetml-snapshot');
    assert.equal(input.modified.scheme, 'budgetml-snapshot');
    assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), snapshotText(2));
    assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), snapshotText(3));

    const panel = await waitFor(
      () => allTabs().find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(COMPARE_PANEL_TYPE)),
      'the comparison panel',
    );
    assert.equal(panel.label, 'Compare #2 ↔ #3');
    const metrics = comparison.model.sections.find((s) => s.title === 'Metrics')!;
    assert.deepEqual(metrics.rows, [
      {
        name: 'test accuracy',
        note: 'task metric, higher is better',
        left: '0.9111',
        right: '0.9722',
        difference: '+0.0611 (+6.7 %)',
        changed: true,
        better: 'right',
      },
      { name: 'train loss', left: '0.3521', right: '0.0873', difference: '−0.2648 (−75 %)', changed: true },
    ]);
    const html = api.experiments.comparePanel.html ?? '';
    assert.ok(html.includes('<td class="better short">0.9722 <span class="badge">better</span></td>'), 'the better value is marked');
    assert.ok(
      html.includes('<td class="name">sklearn</td><td class="short">1.5.1</td><td class="short">1.5.2</td>'),
      'the package version that differs',
    );
    assert.ok(
      html.includes('<td class="name">lr</td><td>0.1 → 0.01 (since #1)</td><td>0.01 → 0.001 (since #2)</td>'),
      'the hyper-parameters',
    );
    assert.match(html, /content="default-src 'none'; style-src 'nonce-[\w-]+'"/);

    const restoreTheme = await useDarkTheme();
    await sleep(800);
    await screenshot('experiments-compare', { clearNotifications: true });
    await restoreTheme();
    await closeAllEditors();
  });

  it('restores the code of an experiment in one edit that Undo takes back', async () => {
    const asked: [string, string[]][] = [];
    const saved = api.experiments.confirmRestore;
    api.experiments.confirmRestore = async (name, files) => (asked.push([name, files.map((f) => f.path)]), true);
    try {
      const current = snapshotText(4);
      const result = await vscode.commands.executeCommand<RestoreResult>('budgetml.restoreExperiment', experiment(3));
      assert.deepEqual(result, { restored: [SCRIPT] });
      assert.deepEqual(asked, [['#3 step 4 · classify.py', [SCRIPT]]]);
      assert.equal(fs.readFileSync(inWorkspace(SCRIPT), 'utf8'), snapshotText(3), 'the file on disk is as #3 ran it');
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.fsPath, inWorkspace(SCRIPT));
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), current, 'undo brings the current text back');
      await editor.document.save();

      asked.length = 0;
      const again = await vscode.commands.executeCommand<RestoreResult>('budgetml.restoreExperiment', experiment(4));
      assert.deepEqual([again, asked], [{ restored: [] }, []], 'nothing to ask when the files are as the experiment ran them');
    } finally {
      api.experiments.confirmRestore = saved;
    }
  });

  it('refuses paths outside the workspace, a missing snapshot, and writes nothing when the user cancels', async () => {
    const saved = api.experiments.confirmRestore;
    const before = fs.readFileSync(inWorkspace(SCRIPT), 'utf8');
    const node = experiment(2);
    const variant = (code: Record<string, string>): ExperimentNode => ({ ...node, record: { ...node.record, code } });
    try {
      api.experiments.confirmRestore = async () => false;
      const outside = await api.experiments.restore(variant({ '../outside.py': node.record.code![SCRIPT] }));
      assert.match(outside?.problem ?? '', /names files outside the workspace \(\.\.\/outside\.py\); nothing was restored/);
      assert.equal(fs.existsSync(path.join(path.dirname(inWorkspace()), 'outside.py')), false);
      const missing = await api.experiments.restore(variant({ [SCRIPT]: 'f'.repeat(64) }));
      assert.match(
        missing?.problem ?? '',
        /^the snapshot of classify\.py kept for #2 step 2 · classify\.py is missing from the run folder/,
      );
      const cancelled = await api.experiments.restore(node);
      assert.deepEqual(cancelled, { restored: [], problem: 'cancelled' });
      assert.equal(fs.readFileSync(inWorkspace(SCRIPT), 'utf8'), before);
    } finally {
      api.experiments.confirmRestore = saved;
    }
  });
});

import * as vscode from 'vscode';
import type { RunEvent } from '../../core/events';
import type { ExperimentRecord } from '../../core/experiments/types';
import { Disposable } from '../disposable';
import {
  experimentDescription,
  experimentLabel,
  failed,
  pendingDescription,
  runDescription,
  runLabel,
  runState,
  type RunState,
} from './experimentText';
import { codeSpan, experimentTooltip, runTooltip } from './experimentTooltip';
import { concernsExperiments, foldRunEvent, mergeRecords, type LiveRun, type PendingExperiment } from './liveRun';
import { bestExperiment, listExperimentRuns, taskDirection, type ExperimentRun, type TaskDirection } from './runData';

export interface RunNode {
  kind: 'run';
  run: ExperimentRun;
  /** the run is going in this window */
  live: LiveRun | undefined;
  direction: TaskDirection | undefined;
  children: (ExperimentNode | PendingNode)[];
}

export interface ExperimentNode {
  kind: 'experiment';
  parent: RunNode;
  record: ExperimentRecord;
  best: boolean;
}

export interface PendingNode {
  kind: 'pending';
  parent: RunNode;
  pending: PendingExperiment;
}

export type ExperimentsNode = RunNode | ExperimentNode | PendingNode;

/** How long the view waits after an event or a file change before it reads the run folders again. */
const REFRESH_DEBOUNCE_MS = 250;

const RUN_ICONS: Record<RunState, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin'),
  improved: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  'not improved': new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  'not measured': new vscode.ThemeIcon('question', new vscode.ThemeColor('testing.iconSkipped')),
  ended: new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('testing.iconUnset')),
  unfinished: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('testing.iconQueued')),
};

/**
 * The runs of the workspace (newest first) and their experiments, read from the run folders and
 * kept current by the live run's events; `refresh()` reads the folders again.
 */
export class ExperimentsTree extends Disposable implements vscode.TreeDataProvider<ExperimentsNode> {
  private nodes: RunNode[] = [];
  private live: LiveRun | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  private again = false;
  /** what the view shows, to redraw only when it changes */
  private shown: string | undefined;

  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<ExperimentsNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(private readonly log: (message: string) => void) {
    super();
    this._register(new vscode.Disposable(() => clearTimeout(this.timer)));
  }

  /** The runs as last read. */
  get runs(): readonly RunNode[] {
    return this.nodes;
  }

  /** Every recorded experiment of every run, newest run first. */
  experiments(): ExperimentNode[] {
    return this.nodes.flatMap((run) => run.children.filter((c): c is ExperimentNode => c.kind === 'experiment'));
  }

  /** Folds a run event in; the view reads the folders again a moment later. */
  handle(event: RunEvent): void {
    if (!concernsExperiments(event)) return;
    this.live = foldRunEvent(this.live, event);
    this.scheduleRefresh();
  }

  scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  /** Reads the run folders of every workspace folder again; settles when the view has the result. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    try {
      const folders = vscode.workspace.workspaceFolders ?? [];
      const include = this.live ? [this.live.runDir] : [];
      const runs = (await Promise.all(folders.map((f) => listExperimentRuns(f.uri.fsPath, include)))).flat();
      // a redraw closes the hover the user reads: only when something changed
      const shown = JSON.stringify([runs, this.live]);
      if (this.isDisposed || shown === this.shown) return;
      this.shown = shown;
      this.nodes = runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).map((run) => this.runNode(run));
      this._onDidChangeTreeData.fire(undefined);
    } catch (error) {
      this.log(`The Experiments view could not read the runs: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private runNode(fromDisk: ExperimentRun): RunNode {
    const live = this.live?.runDir === fromDisk.dir ? this.live : undefined;
    const run = { ...fromDisk, experiments: mergeRecords(fromDisk.experiments, live) };
    const direction = taskDirection(run, run.summary?.verdict ?? live?.verdict);
    const best = bestExperiment(run.experiments, direction);
    const node: RunNode = { kind: 'run', run, live, direction, children: [] };
    node.children = run.experiments.map((record) => ({ kind: 'experiment', parent: node, record, best: record === best }));
    const pending = live?.running ? live.pending : undefined;
    if (pending && !run.experiments.some((r) => r.id === pending.id)) node.children.push({ kind: 'pending', parent: node, pending });
    return node;
  }

  getChildren(node?: ExperimentsNode): ExperimentsNode[] {
    if (!node) return this.nodes;
    return node.kind === 'run' ? node.children : [];
  }

  getParent(node: ExperimentsNode): ExperimentsNode | undefined {
    return node.kind === 'run' ? undefined : node.parent;
  }

  getTreeItem(node: ExperimentsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'run':
        return this.runItem(node);
      case 'experiment':
        return experimentItem(node);
      case 'pending':
        return pendingItem(node);
    }
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const live = { running: node.live?.running ?? false, ...(node.live?.verdict ? { verdict: node.live.verdict } : {}) };
    const newest = this.nodes[0] === node || live.running;
    const state =
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : newest
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(runLabel(node.run), state);
    item.id = `run:${node.run.dir}`;
    item.description = runDescription(node.run, live);
    item.tooltip = markdown(runTooltip(node.run, live));
    item.iconPath = RUN_ICONS[runState(node.run, live)];
    item.contextValue = 'run';
    return item;
  }
}

function experimentItem(node: ExperimentNode): vscode.TreeItem {
  const { record } = node;
  const item = new vscode.TreeItem(experimentLabel(record), vscode.TreeItemCollapsibleState.None);
  item.id = `experiment:${node.parent.run.dir}#${record.id}`;
  item.description = experimentDescription(record, node.parent.direction);
  item.tooltip = markdown(experimentTooltip(record));
  item.iconPath = experimentIcon(node);
  item.contextValue = 'experiment';
  const description = `${experimentLabel(record)}, ${item.description}`;
  item.accessibilityInformation = { label: node.best ? vscode.l10n.t('{0}, best', description) : description };
  return item;
}

function experimentIcon({ record, best }: ExperimentNode): vscode.ThemeIcon {
  if (record.outcome === 'cancelled' || record.outcome === 'declined')
    return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped'));
  if (failed(record)) return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  if (best) return new vscode.ThemeIcon('star-full', new vscode.ThemeColor('testing.iconPassed'));
  return new vscode.ThemeIcon(record.kind === 'score' ? 'target' : 'beaker');
}

function pendingItem(node: PendingNode): vscode.TreeItem {
  const { pending } = node;
  const item = new vscode.TreeItem(experimentLabel({ ...pending, label: undefined }), vscode.TreeItemCollapsibleState.None);
  item.id = `pending:${node.parent.run.dir}#${pending.id}`;
  item.description = pendingDescription(pending.metrics, node.parent.direction);
  item.tooltip = markdown(`**${vscode.l10n.t('Running')}** ${codeSpan(pending.command)}`);
  item.iconPath = new vscode.ThemeIcon('sync~spin');
  item.contextValue = 'pendingExperiment';
  return item;
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, true);
  md.supportHtml = false;
  return md;
}

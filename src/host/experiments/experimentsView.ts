import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { RunController } from '../runController';
import { ComparePanel, type Comparison } from './comparePanel';
import { experimentLabel } from './experimentText';
import { FolderPoll } from './folderPoll';
import { pickExperiment } from './experimentPicks';
import { ExperimentsTree, type ExperimentNode, type ExperimentsNode } from './experimentsTree';
import { confirmRestore, restoreExperiment, type RestoreConfirm, type RestoreResult } from './restoreExperiment';
import { SnapshotDocuments } from './snapshotDocuments';

const EXPERIMENTS_VIEW_ID = 'budgetml.experiments';
/** the files whose changes the view follows, for runs started elsewhere (the CLI, another window) */
const WATCHED = '.budgetml/runs/*/{experiments.jsonl,summary.json}';
/** run folders created or deleted whole (a watcher reports the folder, not the files in it) */
const RUN_FOLDERS = '.budgetml/runs/*';

export interface ExperimentsViewDeps {
  runs: Pick<RunController, 'onDidRunEvent'>;
  channel: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
}

/**
 * The Experiments view of the BudgetML container and its two commands, Compare Experiments and
 * Restore Experiment Code. The tree follows the live run's events and the run folders on disk.
 */
export class ExperimentsView extends Disposable {
  readonly tree: ExperimentsTree;
  readonly view: vscode.TreeView<ExperimentsNode>;
  readonly comparePanel: ComparePanel;
  /** settles when the runs of the workspace were first read */
  readonly ready: Promise<void>;
  private watchers: vscode.Disposable[] = [];
  /** asks before files are written back (tests replace it to answer without the modal) */
  confirmRestore: RestoreConfirm = confirmRestore;

  constructor(private readonly deps: ExperimentsViewDeps) {
    super();
    this.tree = this._register(new ExperimentsTree((m) => deps.channel.warn(m)));
    this.view = this._register(
      vscode.window.createTreeView(EXPERIMENTS_VIEW_ID, { treeDataProvider: this.tree, canSelectMany: true, showCollapseAll: true }),
    );
    this._register(new SnapshotDocuments());
    this.comparePanel = this._register(new ComparePanel(deps.extensionUri));
    this._register(deps.runs.onDidRunEvent((event) => this.tree.handle(event)));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.watch()));
    this._register(new vscode.Disposable(() => this.watchers.forEach((w) => w.dispose())));
    this.watch();
    this._register(new FolderPoll(this.view, () => this.tree.scheduleRefresh()));
    this.ready = this.tree.refresh();
  }

  /** Watchers per workspace folder; the view reads the folders again (debounced) on every change. */
  private watch(): void {
    this.watchers.forEach((w) => w.dispose());
    const changed = () => this.tree.scheduleRefresh();
    this.watchers = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
      const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WATCHED));
      const runs = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, RUN_FOLDERS), false, true, false);
      return [
        files,
        runs,
        files.onDidCreate(changed),
        files.onDidChange(changed),
        files.onDidDelete(changed),
        runs.onDidCreate(changed),
        runs.onDidDelete(changed),
      ];
    });
    this.tree.scheduleRefresh();
  }

  /**
   * Compare Experiments: the two selected in the view (a context menu passes the clicked node and
   * the selection), else the user picks them across all runs of the workspace.
   */
  async compare(clicked?: unknown, selected?: unknown): Promise<Comparison | undefined> {
    const failed = (message: string) => vscode.l10n.t('BudgetML: could not compare the experiments: {0}', message);
    return this.guard('compare the experiments', failed, async () => {
      await this.ready;
      const given = (Array.isArray(selected) ? selected : [clicked]).filter(isExperimentNode);
      if (given.length > 2)
        void vscode.window.showInformationMessage(
          vscode.l10n.t('BudgetML: compare takes two experiments; the first two selected are compared.'),
        );
      const first =
        given[0] ??
        (await pickExperiment(this.tree.runs, {
          title: vscode.l10n.t('Compare Experiments (1/2)'),
          placeHolder: vscode.l10n.t('The first experiment'),
        }));
      if (!first) return undefined;
      const second =
        given[1] ??
        (await pickExperiment(this.tree.runs, {
          title: vscode.l10n.t('Compare Experiments (2/2)'),
          placeHolder: vscode.l10n.t('Compare {0} with…', experimentLabel(first.record)),
          accept: (node) => node !== first,
        }));
      if (!second) return undefined;
      return this.compareNodes(first, second);
    });
  }

  /** The earlier experiment on the left. */
  private compareNodes(a: ExperimentNode, b: ExperimentNode): Promise<Comparison> {
    const earlier = a.parent === b.parent ? a.record.id <= b.record.id : a.parent.run.startedAt <= b.parent.run.startedAt;
    return earlier ? this.compareExperiments(a, b) : this.compareExperiments(b, a);
  }

  private compareExperiments(left: ExperimentNode, right: ExperimentNode): Promise<Comparison> {
    this.deps.channel.info(
      `Comparing ${experimentLabel(left.record)} (${left.parent.run.id}) with ${experimentLabel(right.record)} (${right.parent.run.id})`,
    );
    return this.comparePanel.compare(left, right);
  }

  /** Restore Experiment Code: the experiment of the context menu, else one the user picks. */
  async restore(node?: unknown): Promise<RestoreResult | undefined> {
    const failed = (message: string) => vscode.l10n.t('BudgetML: could not restore the code: {0}', message);
    return this.guard('restore the code', failed, async () => {
      await this.ready;
      const chosen = isExperimentNode(node)
        ? node
        : await pickExperiment(this.tree.runs, {
            title: vscode.l10n.t('Restore Experiment Code'),
            placeHolder: vscode.l10n.t('The experiment whose code to write back into the workspace'),
            accept: (n) => Object.keys(n.record.code ?? {}).length > 0,
          });
      if (!chosen) return undefined;
      const result = await restoreExperiment(chosen, this.confirmRestore);
      if (result.restored.length)
        this.deps.channel.info(
          `Restored ${result.restored.join(', ')} as ${experimentLabel(chosen.record)} of ${chosen.parent.run.id} ran it`,
        );
      return result;
    });
  }

  /** Errors surface at the command boundary, with a way to the log: `what` for the log, `failed` for the user. */
  private async guard<T>(what: string, failed: (message: string) => string, work: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.channel.error(`Could not ${what}: ${message}`);
      const openLog = vscode.l10n.t('Open Log');
      void vscode.window.showErrorMessage(failed(message), openLog).then((choice) => {
        if (choice === openLog) this.deps.channel.show();
      });
      return undefined;
    }
  }
}

function isExperimentNode(value: unknown): value is ExperimentNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'experiment' && 'record' in value;
}

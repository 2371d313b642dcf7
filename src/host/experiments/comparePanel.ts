import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { newNonce } from '../sidebar/sidebarHtml';
import { filesToDiff } from './codeFiles';
import { compareHtml } from './compareHtml';
import { compareModel, experimentRef, type CompareModel, type CompareSide } from './compareModel';
import type { ExperimentNode } from './experimentsTree';
import { snapshotPath } from './runData';
import { snapshotUri } from './snapshotDocuments';

export const COMPARE_PANEL_TYPE = 'budgetml.compareExperiments';

export interface Comparison {
  model: CompareModel;
  /** the diff editor's title, when the code diff opened */
  diffTitle?: string;
  /** why there is no code diff */
  note?: string;
}

/**
 * Compare Experiments: the code diff in VS Code's diff editor (two read-only snapshots) and a
 * panel beside it with metrics, hyper-parameters, seeds, environment, data, command and outcome.
 * One panel, reused for the next comparison.
 */
export class ComparePanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** the last comparison shown (for the tests) */
  last: Comparison | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {
    super();
    this._register(new vscode.Disposable(() => this.panel?.dispose()));
  }

  async compare(a: ExperimentNode, b: ExperimentNode): Promise<Comparison> {
    const left: CompareSide = { run: a.parent.run, record: a.record };
    const right: CompareSide = { run: b.parent.run, record: b.record };
    const direction = a.parent.direction ?? b.parent.direction;
    const model = compareModel(left, right, direction);
    const diff = await this.openDiff(a, b, `${experimentRef(left, right)} ↔ ${experimentRef(right, left)}`);
    const comparison: Comparison = { model, ...diff };
    this.show(comparison);
    this.last = comparison;
    return comparison;
  }

  private async openDiff(a: ExperimentNode, b: ExperimentNode, refs: string): Promise<{ diffTitle?: string; note?: string }> {
    const files = filesToDiff(a.record, b.record);
    if (!files) return { note: vscode.l10n.t('No code diff: the two experiments kept no snapshot of their scripts.') };
    const ends = [
      { node: a, file: files.left },
      { node: b, file: files.right },
    ].map(({ node, file }) => {
      const sha256 = node.record.code?.[file] ?? '';
      const path = snapshotPath(node.parent.run.dir, sha256);
      return {
        uri: snapshotUri({ runDir: node.parent.run.dir, experiment: node.record.id, file, sha256 }),
        present: path !== undefined && existsSync(path),
        file,
        id: node.record.id,
      };
    });
    const missing = ends.filter((end) => !end.present);
    if (missing.length) {
      const note = vscode.l10n.t(
        'No code diff: the snapshot of {0} is missing from its run folder.',
        missing.map((m) => `${m.file} (#${m.id})`).join(', '),
      );
      void vscode.window.showWarningMessage(vscode.l10n.t('BudgetML: {0}', note));
      return { note };
    }
    const name = files.left === files.right ? files.left : `${files.left} ↔ ${files.right}`;
    const diffTitle = `${name} (${refs})`;
    await vscode.commands.executeCommand('vscode.diff', ends[0].uri, ends[1].uri, diffTitle, {
      preview: true,
      viewColumn: vscode.ViewColumn.Active,
    });
    return { diffTitle };
  }

  private show(comparison: Comparison): void {
    const title = comparison.model.title;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        COMPARE_PANEL_TYPE,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, localResourceRoots: [] },
      );
      this.panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'budgetml.svg');
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.title = title;
    this.panel.webview.html = compareHtml(comparison.model, newNonce(), comparison.note);
  }

  /** The panel's page as it is now (for the tests). */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }
}

import * as vscode from 'vscode';
import type { RunEvent } from '../../core/events';
import type { SidebarIntent } from '../../shared/protocol';
import { Disposable } from '../disposable';
import type { EditReview } from '../editReview/editReview';
import type { RunController } from '../runController';
import { openArtifact, openExperiment, showPlanHistory } from './artifacts';
import { sidebarLimits } from './limits';
import { RunTextProvider } from './runText';
import { SIDEBAR_VIEW_ID, SidebarProvider } from './sidebarProvider';
import { SidebarSession } from './sidebarSession';
import { assertNever } from '../../shared/text';

export interface SidebarControllerDeps {
  extensionUri: vscode.Uri;
  runs: RunController;
  review: EditReview;
  channel: vscode.LogOutputChannel;
}

/**
 * The sidebar: the view, the session that folds runs into it, and what its buttons and links do.
 * On activation it shows the newest run of the workspace; live runs replace it as they start.
 */
export class SidebarController extends Disposable {
  readonly provider: SidebarProvider;
  readonly session: SidebarSession;
  private readonly texts = this._register(new RunTextProvider());
  /** settles once the newest run of the workspace is shown (activation does not wait for it) */
  readonly restored: Promise<void>;

  constructor(private readonly deps: SidebarControllerDeps) {
    super();
    const { channel, runs, review } = deps;
    this.provider = this._register(new SidebarProvider(deps.extensionUri, (message) => channel.warn(message)));
    this._register(vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, this.provider));
    this.session = new SidebarSession({ show: (view) => this.provider.update(view), limits: sidebarLimits });
    this._register(runs.onDidRunEvent((event) => this.follow(event)));
    this._register(review.onDidChange(() => this.session.setPendingEdit(review.waiting()[0] ?? null)));
    this._register(this.provider.onIntent((intent) => void this.act(intent)));
    this._register(
      this.provider.onDidRender((t) => channel.debug(`Sidebar drawn ${t.ms} ms after its script started (${t.source} state)`)),
    );
    this.restored = this.restoreNewest();
  }

  /** What a button or link of the sidebar asks for; the commands do the work where there is one. */
  async act(intent: SidebarIntent): Promise<void> {
    try {
      switch (intent.type) {
        case 'start':
          return void vscode.commands.executeCommand('budgetml.startTask');
        case 'stop':
          return void vscode.commands.executeCommand('budgetml.stopTask');
        case 'acceptEdit':
          return void (await vscode.commands.executeCommand('budgetml.acceptEdit'));
        case 'rejectEdit':
          return void (await vscode.commands.executeCommand('budgetml.rejectEdit'));
        case 'askExpert':
          return this.askExpert();
        case 'openArtifact':
          return void (await openArtifact(this.session.runDir, intent, this.texts));
        case 'openExperiment':
          return void (await openExperiment(this.session.runDir, intent));
        case 'chooseMetric':
          return this.session.chooseMetric(intent.metric);
        case 'showHistory':
          return void (await showPlanHistory(this.session.runDir, this.session.view.run?.goal, this.session.view.plan, this.texts));
        default:
          return assertNever(intent);
      }
    } catch (error) {
      this.deps.channel.error(`The sidebar's ${intent.type} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private askExpert(): void {
    const refused = this.deps.runs.requestExpert();
    if (refused) return this.deps.channel.info(`Ask the expert: ignored, ${refused}`);
    void vscode.window.showInformationMessage('BudgetML: The expert will plan the next step.');
  }

  private follow(event: RunEvent): void {
    try {
      this.session.handle(event);
    } catch (error) {
      // the view must never break the run
      this.deps.channel.warn(`The sidebar could not show a ${event.type} event: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async restoreNewest(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    try {
      await this.session.restoreNewest(folder.uri.fsPath);
    } catch (error) {
      this.deps.channel.warn(`The sidebar could not show the last run: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

import * as vscode from 'vscode';
import type { RunEvent } from '../../core/events';
import type { SidebarIntent } from '../../shared/protocol';
import { assertNever } from '../../shared/text';
import type { DecisionBoard } from '../decisions/decisionBoard';
import { Disposable } from '../disposable';
import type { UserPrompts } from '../prompts';
import type { RunController } from '../runController';
import type { SetupWatcher } from '../setup/setupWatcher';
import type { SpendMeter } from '../spendMeter';
import { openArtifact, openExperiment, showPlanHistory } from './artifacts';
import { sidebarLimits } from './limits';
import { RunTextProvider } from './runText';
import { SIDEBAR_VIEW_ID, SidebarProvider } from './sidebarProvider';
import { SidebarSession } from './sidebarSession';

export interface SidebarControllerDeps {
  extensionUri: vscode.Uri;
  runs: RunController;
  decisions: DecisionBoard;
  setup: SetupWatcher;
  meter: SpendMeter;
  prompts: () => UserPrompts;
  channel: vscode.LogOutputChannel;
}

/**
 * The sidebar: the view, the session that folds runs into it, and what its buttons and links do.
 * On activation it shows the newest run of the workspace; live runs replace it as they start.
 * The spend meter shows the same view's figure.
 */
export class SidebarController extends Disposable {
  readonly provider: SidebarProvider;
  readonly session: SidebarSession;
  private readonly texts = this._register(new RunTextProvider());
  /** settles once the newest run of the workspace is shown (activation does not wait for it) */
  readonly restored: Promise<void>;

  constructor(private readonly deps: SidebarControllerDeps) {
    super();
    const { channel, runs, decisions, setup } = deps;
    this.provider = this._register(new SidebarProvider(deps.extensionUri, (message) => channel.warn(message)));
    this._register(vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, this.provider));
    this.session = new SidebarSession({ show: (view) => this.show(view), limits: sidebarLimits });
    this._register(runs.onDidRunEvent((event) => this.follow(event)));
    this._register(decisions.onDidChange((pending) => this.session.setDecision(pending ?? null)));
    this._register(runs.onDidChangeSteering((steering) => this.session.setPauseRequested(steering?.paused ?? false)));
    this._register(setup.onDidChange((view) => this.session.setSetup(view)));
    this.session.setSetup(setup.current);
    this._register(this.provider.onIntent((intent) => void this.act(intent)));
    this._register(
      this.provider.onDidRender((t) => channel.debug(`Sidebar drawn ${t.ms} ms after its script started (${t.source} state)`)),
    );
    this.restored = this.restoreNewest();
  }

  /** What a button or link of the sidebar asks for; the commands do the work where there is one. */
  async act(intent: SidebarIntent): Promise<void> {
    try {
      await this.dispatch(intent);
    } catch (error) {
      this.deps.channel.error(`The sidebar's ${intent.type} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async dispatch(intent: SidebarIntent): Promise<void> {
    const { runs, decisions, channel } = this.deps;
    switch (intent.type) {
      case 'start':
        return void vscode.commands.executeCommand('budgetml.startTask');
      case 'stop':
        return void vscode.commands.executeCommand('budgetml.stopTask');
      case 'decide': {
        // the card's reason box was there: an empty one means no reason, not "ask me"
        const answered = await decisions.decide(intent.id, { choice: intent.choice, reason: intent.reason ?? null });
        return answered ? undefined : channel.info(`The sidebar's ${intent.choice} of ${intent.id}: ignored, it is no longer pending`);
      }
      case 'openDiff':
        return void (await decisions.open(intent.id));
      case 'steer':
        return void runs.steer(intent.text);
      case 'pause':
        return void runs.pause();
      case 'continue':
        return void runs.continue();
      case 'askExpert':
        return this.askExpert();
      case 'command':
        return void (await vscode.commands.executeCommand(intent.command));
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
  }

  /** Ask the Expert, after the user saw what it may cost at most. */
  private async askExpert(): Promise<void> {
    const { runs, channel, prompts } = this.deps;
    const { cost } = this.session.view;
    const refusedAtOnce = runs.whyNoExpert();
    if (refusedAtOnce) return channel.info(`Ask the expert: ignored, ${refusedAtOnce}`);
    if (!(await prompts().confirmExpert(cost.expertWorstCaseUsd, cost.lifelinesLeft))) return;
    const refused = runs.requestExpert();
    if (refused) return channel.info(`Ask the expert: ignored, ${refused}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: The expert will plan the next step.'));
  }

  private show(view: Parameters<SidebarProvider['update']>[0]): void {
    this.provider.update(view);
    if (this.session?.followsLive) this.deps.meter.show(view);
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

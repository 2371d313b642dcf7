import * as vscode from 'vscode';
import type { BudgetmlApi } from './host/api';
import { registerCommands } from './host/commands';
import { DecisionBoard } from './host/decisions/decisionBoard';
import { DecisionNotice } from './host/decisions/decisionNotice';
import { EditReview } from './host/editReview/editReview';
import { HunkCodeLens } from './host/editReview/hunkLens';
import { ExperimentsView } from './host/experiments/experimentsView';
import { useTranslation } from './host/l10n';
import { RunController } from './host/runController';
import { startPendingDemo } from './host/sampleWorkspace';
import { KeyStore } from './host/secrets';
import { declaredSettingKeys } from './host/settings';
import { SetupWatcher } from './host/setup/setupWatcher';
import { SidebarController } from './host/sidebar/sidebarController';
import { SpendMeter } from './host/spendMeter';
import { ScriptRunner } from './host/terminal/scriptRunner';
import { VsCodeHost } from './host/vscodeHost';

/** How long a new terminal gets to report shell integration before scripts use the pseudo-terminal. */
const SHELL_INTEGRATION_WAIT_MS = 5000;

export function activate(context: vscode.ExtensionContext): BudgetmlApi {
  const started = performance.now();
  // the words of the modules that stay free of vscode, in the display language from here on
  useTranslation(vscode.l10n.t);
  const own = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const channel = own(vscode.window.createOutputChannel('BudgetML', { log: true }));
  const review: EditReview = own(new EditReview(() => host.prompts));
  own(new HunkCodeLens(review));
  const decisions = own(new DecisionBoard());
  own(new DecisionNotice(decisions));
  const scripts = own(new ScriptRunner({ shellIntegrationWaitMs: SHELL_INTEGRATION_WAIT_MS, log: (m) => channel.warn(m) }));
  const host: VsCodeHost = new VsCodeHost({ review, scripts, channel, decisions });
  const meter = own(new SpendMeter('budgetml.showSpend'));
  const keys = new KeyStore(context.secrets);
  const setup = own(new SetupWatcher({ keys, secrets: context.secrets, isTrusted: () => host.isTrusted() }));
  const { extensionUri } = context;
  const settingKeys = declaredSettingKeys(context.extension);
  const runs = own(new RunController({ host, channel, keys, settingKeys, extensionUri }));
  const prompts = () => host.prompts;
  const sidebar = own(new SidebarController({ extensionUri, runs, decisions, setup, meter, prompts, channel }));
  const experiments = own(new ExperimentsView({ runs, channel, extensionUri }));
  registerCommands(context.subscriptions, { runs, review, keys, experiments, decisions, prompts, context, settingKeys, channel });
  startPendingDemo(context.globalState);
  const activationMs = performance.now() - started;
  channel.debug(`Activated in ${activationMs.toFixed(1)} ms`);
  return { host, review, scripts, meter, runs, keys, sidebar, experiments, decisions, setup, activationMs };
}

export function deactivate(): void {
  // everything is in context.subscriptions; disposing the run controller stops a running run
}

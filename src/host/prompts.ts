import * as vscode from 'vscode';
import type { ReviewPrompts } from './editReview/editReview';
import { formatUsd } from '../shared/money';

/** Everything the host asks the user outside the sidebar. Tests replace it to answer without clicking. */
export interface UserPrompts extends ReviewPrompts {
  /**
   * Optional reason for declining a script run (from a notification or a command); undefined: none.
   * `token` is cancelled when the decision ends elsewhere (answered in the sidebar, or the run stopped): the box closes.
   */
  declineReason(command: string, token: vscode.CancellationToken): Promise<string | undefined>;
  /** Ask the Expert costs a lifeline and up to `worstCaseUsd` (null: not known yet): true to go ahead. */
  confirmExpert(worstCaseUsd: number | null, lifelinesLeft: number): Promise<boolean>;
  /** `what` needs a trusted folder: says so, with a way to manage trust. */
  explainUntrusted(what: string): void;
  /** The configured models need providers that have neither a key nor a base URL; `offerDemo`: also offer the recorded demo. */
  missingKeys(providers: string[], offerDemo?: boolean): void;
  /** No key, but a local OpenAI-compatible server answers: true to run on its `model` this time. */
  offerLocalModel(providers: string[], model: string, baseUrl: string): Promise<boolean>;
}

export const defaultPrompts: UserPrompts = {
  async rejectReason(relPath, token) {
    const reason = await vscode.window.showInputBox(
      {
        title: vscode.l10n.t('Reject the edit to {0}', relPath),
        prompt: vscode.l10n.t('Why? The planner reads this (optional; Enter to reject without a reason).'),
        placeHolder: vscode.l10n.t('e.g. keep the learning rate, change the batch size instead'),
        ignoreFocusOut: true,
      },
      token,
    );
    return reason?.trim() || undefined;
  },

  async declineReason(command, token) {
    const reason = await vscode.window.showInputBox(
      {
        title: vscode.l10n.t('Decline to run {0}', command),
        prompt: vscode.l10n.t('Why? The planner reads this (optional; Enter to decline without a reason).'),
        placeHolder: vscode.l10n.t('e.g. it takes too long; try a smaller subset first'),
        ignoreFocusOut: true,
      },
      token,
    );
    return reason?.trim() || undefined;
  },

  async stillWaiting(relPath) {
    const [show, accept, reject] = [vscode.l10n.t('Show Diff'), vscode.l10n.t('Accept'), vscode.l10n.t('Reject')];
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('BudgetML is waiting for your review of the edit to {0}.', relPath),
      show,
      accept,
      reject,
    );
    return choice === show ? 'show' : choice === accept ? 'accept' : choice === reject ? 'reject' : undefined;
  },

  async confirmExpert(worstCaseUsd, lifelinesLeft) {
    const ask = vscode.l10n.t('Ask the Expert');
    const cost =
      worstCaseUsd === null
        ? vscode.l10n.t('Its cost is known after the first planner call.')
        : vscode.l10n.t('It costs at most {0} with the context as it is now.', formatUsd(worstCaseUsd));
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Ask the expert model to plan the next step?'),
      { modal: true, detail: `${cost} ${vscode.l10n.t('It spends one of the {0} lifelines left.', lifelinesLeft)}` },
      ask,
    );
    return choice === ask;
  },

  explainUntrusted(what) {
    const manage = vscode.l10n.t('Manage Workspace Trust');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          'BudgetML: {0} needs a trusted folder, because the agent edits files and runs scripts in it. In Restricted Mode past runs and experiments stay readable.',
          what,
        ),
        manage,
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
  },

  missingKeys(providers, offerDemo) {
    const names = providers.map(providerLabel).join(vscode.l10n.t(' and '));
    const [setKey, select, demo] = [vscode.l10n.t('Set API Key'), vscode.l10n.t('Select Models'), vscode.l10n.t('Run the Recorded Demo')];
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          'BudgetML needs an API key for {0}: the configured models use it. Set a key, point budgetml.providers.<name>.baseUrl at a compatible server, or choose other models.',
          names,
        ),
        setKey,
        select,
        ...(offerDemo ? [demo] : []),
      )
      .then((choice) => {
        if (choice === setKey) void vscode.commands.executeCommand('budgetml.setApiKey', providers[0]);
        if (choice === select) void vscode.commands.executeCommand('budgetml.selectModels');
        if (choice === demo) void vscode.commands.executeCommand('budgetml.runDemo');
      });
  },

  async offerLocalModel(providers, model, baseUrl) {
    const names = providers.map(providerLabel).join(vscode.l10n.t(' and '));
    const [useLocal, setKey] = [vscode.l10n.t('Use local Ollama'), vscode.l10n.t('Set API Key')];
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'BudgetML has no API key for {0}, but a local server answers at {1}. Run this task on its model {2} (free, on this machine)?',
        names,
        baseUrl,
        model,
      ),
      useLocal,
      setKey,
    );
    if (choice === setKey) void vscode.commands.executeCommand('budgetml.setApiKey', providers[0]);
    return choice === useLocal;
  },
};

export function providerLabel(provider: string): string {
  return provider === 'openai' ? 'OpenAI' : provider === 'gemini' ? 'Gemini' : provider;
}

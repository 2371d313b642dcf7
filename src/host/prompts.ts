import * as vscode from 'vscode';
import type { ReviewPrompts } from './editReview/editReview';

/** Everything the host asks the user. Tests replace it to answer without clicking. */
export interface UserPrompts extends ReviewPrompts {
  /** Run / Decline for one script run; false when declined, dismissed or the run stops. */
  confirmRun(display: string, cwd: string, signal: AbortSignal): Promise<boolean>;
  /** The configured models need providers that have neither a key nor a base URL; `offerDemo`: also offer the recorded demo. */
  missingKeys(providers: string[], offerDemo?: boolean): void;
  /** No key, but a local OpenAI-compatible server answers: true to run on its `model` this time. */
  offerLocalModel(providers: string[], model: string, baseUrl: string): Promise<boolean>;
}

export const defaultPrompts: UserPrompts = {
  async rejectReason(relPath) {
    const reason = await vscode.window.showInputBox({
      title: `Reject the edit to ${relPath}`,
      prompt: 'Why? The planner reads this (optional; Enter to reject without a reason).',
      placeHolder: 'e.g. keep the learning rate, change the batch size instead',
      ignoreFocusOut: true,
    });
    return reason?.trim() || undefined;
  },

  async stillWaiting(relPath) {
    const choice = await vscode.window.showInformationMessage(
      `BudgetML is waiting for your review of the edit to ${relPath}.`,
      'Show Diff',
      'Accept',
      'Reject',
    );
    return choice === 'Show Diff' ? 'show' : choice === 'Accept' ? 'accept' : choice === 'Reject' ? 'reject' : undefined;
  },

  async confirmRun(display, cwd, signal) {
    const question = vscode.window.showInformationMessage(
      `BudgetML wants to run \`${display}\` in ${vscode.workspace.asRelativePath(cwd) || cwd}.`,
      'Run',
      'Decline',
    );
    const stopped = new Promise<undefined>((resolve) => {
      if (signal.aborted) resolve(undefined);
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
    return (await Promise.race([question, stopped])) === 'Run';
  },

  missingKeys(providers, offerDemo) {
    const names = providers.map(providerLabel).join(' and ');
    const demo = offerDemo ? ['Run the Recorded Demo'] : [];
    void vscode.window
      .showWarningMessage(
        `BudgetML needs an API key for ${names}: the configured models use ${providers.length > 1 ? 'them' : 'it'}. ` +
          'Set a key, point budgetml.providers.<name>.baseUrl at a compatible server, or choose other models.',
        'Set API Key',
        'Select Models',
        ...demo,
      )
      .then((choice) => {
        if (choice === 'Set API Key') void vscode.commands.executeCommand('budgetml.setApiKey', providers[0]);
        if (choice === 'Select Models') void vscode.commands.executeCommand('budgetml.selectModels');
        if (choice === 'Run the Recorded Demo') void vscode.commands.executeCommand('budgetml.startTask', { replay: true });
      });
  },

  async offerLocalModel(providers, model, baseUrl) {
    const names = providers.map(providerLabel).join(' and ');
    const choice = await vscode.window.showInformationMessage(
      `BudgetML has no API key for ${names}, but a local server answers at ${baseUrl}. Run this task on its model ${model} (free, on this machine)?`,
      'Use local Ollama',
      'Set API Key',
    );
    if (choice === 'Set API Key') void vscode.commands.executeCommand('budgetml.setApiKey', providers[0]);
    return choice === 'Use local Ollama';
  },
};

export function providerLabel(provider: string): string {
  return provider === 'openai' ? 'OpenAI' : provider === 'gemini' ? 'Gemini' : provider;
}

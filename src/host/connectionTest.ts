import * as vscode from 'vscode';
import { formatUsd } from '../shared/money';
import { loadAgentCore } from './agentCoreLoader';
import type { ProbeResult } from './connectionProbe';
import { providerLabel } from './prompts';
import { gatherInputs } from './runInputs';
import type { KeyStore } from './secrets';

/**
 * Test Connection: one tiny request to each provider the configured models use, through the
 * agent core's own provider classes; reports the model, the latency and the cost, or the error.
 */
export async function testConnection(
  settingKeys: readonly string[],
  keys: KeyStore,
  channel: vscode.LogOutputChannel,
): Promise<ProbeResult[]> {
  const core = await loadAgentCore();
  const gathered = await gatherInputs(core, settingKeys, keys);
  if (!gathered) return [];
  const { config } = gathered.inputs;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('BudgetML: testing the connection'), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const targets = core.probeTargets(config);
      return Promise.all(
        targets.map(async ({ model }) => {
          progress.report({ message: model });
          return core.probeProvider(config, gathered.inputs.keys, model, controller.signal);
        }),
      );
    },
  );
  for (const result of results) channel.info(`Test Connection: ${logLine(result)}`);
  report(results);
  return results;
}

function describe(result: ProbeResult): string {
  const who = `${providerLabel(result.provider)} (${result.model})`;
  return result.ok
    ? vscode.l10n.t('{0}: answered in {1} ms, cost {2}', who, result.latencyMs, formatUsd(result.usd))
    : vscode.l10n.t('{0}: {1}', who, result.error);
}

/** The same in English, for the log. */
function logLine(result: ProbeResult): string {
  const who = `${providerLabel(result.provider)} (${result.model})`;
  return result.ok ? `${who}: answered in ${result.latencyMs} ms, cost ${formatUsd(result.usd)}` : `${who}: ${result.error}`;
}

function report(results: ProbeResult[]): void {
  const text = results.map(describe).join(' · ');
  if (results.length > 0 && results.every((r) => r.ok)) void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: {0}', text));
  else {
    const setKey = vscode.l10n.t('Set API Key');
    void vscode.window
      .showWarningMessage(text ? vscode.l10n.t('BudgetML: {0}', text) : vscode.l10n.t('BudgetML: no provider is configured'), setKey)
      .then((choice) => choice && vscode.commands.executeCommand('budgetml.setApiKey'));
  }
}

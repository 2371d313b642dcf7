import * as vscode from 'vscode';
import { experimentLabel, formatNumber, formatTime, outcomeText, relevantMetric, runLabel } from './experimentText';
import type { ExperimentNode, RunNode } from './experimentsTree';

interface ExperimentPick extends vscode.QuickPickItem {
  node?: ExperimentNode;
}

/** "#3 step 4 · train.py" with "test accuracy 0.9722" beside it; grouped by run, newest run first. */
function pickItems(runs: readonly RunNode[], accept: (node: ExperimentNode) => boolean = () => true): ExperimentPick[] {
  const items: ExperimentPick[] = [];
  for (const run of runs) {
    const nodes = run.children.filter((c): c is ExperimentNode => c.kind === 'experiment' && accept(c));
    if (!nodes.length) continue;
    items.push({ label: `${runLabel(run.run)} · ${formatTime(run.run.startedAt)}`, kind: vscode.QuickPickItemKind.Separator });
    for (const node of nodes) items.push(pickItem(node));
  }
  return items;
}

function pickItem(node: ExperimentNode): ExperimentPick {
  const { record } = node;
  const metric = relevantMetric(record.metrics, node.parent.direction, record.taskMetric);
  const result =
    record.outcome !== 'ok' ? outcomeText(record) : metric ? `${metric[0]} ${formatNumber(metric[1])}` : vscode.l10n.t('no metrics');
  return {
    label: experimentLabel(record),
    description: result,
    detail: `${runLabel(node.parent.run)} · ${record.command}`,
    node,
  };
}

/** One experiment chosen by the user; undefined when they cancel or there is none. */
export async function pickExperiment(
  runs: readonly RunNode[],
  options: { title: string; placeHolder: string; accept?: (node: ExperimentNode) => boolean },
): Promise<ExperimentNode | undefined> {
  const items = pickItems(runs, options.accept);
  if (!items.some((i) => i.node)) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('BudgetML: no experiment to choose from yet. Experiments are recorded when a task runs scripts.'),
    );
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(items, {
    title: options.title,
    placeHolder: options.placeHolder,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen?.node;
}

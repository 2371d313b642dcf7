import * as vscode from 'vscode';

/**
 * BudgetML: Open Benchmark Report: the report.html of a `budgetml bench` (given, or picked in a file
 * dialog) in a webview beside the editor. The page is the bench's own: self-contained, no script.
 */
export async function openBenchmarkReport(target?: unknown): Promise<void> {
  const uri = target instanceof vscode.Uri ? target : await pickReport();
  if (!uri) return;
  let html: string;
  try {
    html = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('BudgetML could not read {0}: {1}', uri.fsPath, (error as Error).message));
    return;
  }
  const panel = vscode.window.createWebviewPanel('budgetml.benchmarkReport', vscode.l10n.t('Benchmark Report'), vscode.ViewColumn.Beside, {
    enableScripts: false,
    localResourceRoots: [],
  });
  panel.webview.html = html;
}

async function pickReport(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('BudgetML: Open Benchmark Report'),
    openLabel: vscode.l10n.t('Open Report'),
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { [vscode.l10n.t('Benchmark report')]: ['html'] },
  });
  return picked?.[0];
}

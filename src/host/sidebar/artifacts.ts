import { realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { ExperimentRecord } from '../../core/experiments/types';
import type { StepRecord } from '../../core/memory/types';
import type { ArtifactKind, PlanView } from '../../shared/viewModels';
import { readRunLog } from './runLog';
import type { RunTextProvider } from './runText';

export interface ArtifactRequest {
  step: number;
  kind: ArtifactKind;
  /** reveal the first place that holds this text */
  cite?: string;
}

/**
 * Opens what a step of the shown run produced: its diff or script output, by the path the run's
 * log.jsonl records (never a path from the webview), only inside the run folder; or its observation
 * as a read-only document. Preview editors that leave the focus where it is.
 */
export async function openArtifact(runDir: string | undefined, request: ArtifactRequest, texts: RunTextProvider): Promise<boolean> {
  const record = runDir && (await stepRecord(runDir, request.step));
  if (!runDir || !record) return tell(vscode.l10n.t("BudgetML: step {0} is not in the run's log.", request.step));
  if (request.kind === 'observation') {
    const doc = await texts.open(`${basename(runDir)}/step-${request.step}-observation.txt`, record.observation);
    return show(doc.uri, request.cite);
  }
  const rel = record.artifacts?.[request.kind];
  if (!rel) {
    return tell(
      request.kind === 'diff'
        ? vscode.l10n.t('BudgetML: step {0} has no diff.', request.step)
        : vscode.l10n.t('BudgetML: step {0} has no script output.', request.step),
    );
  }
  const file = await insideFolder(runDir, rel);
  if (!file) {
    return tell(
      request.kind === 'diff'
        ? vscode.l10n.t('BudgetML: the diff of step {0} is missing from the run folder.', request.step)
        : vscode.l10n.t('BudgetML: the script output of step {0} is missing from the run folder.', request.step),
    );
  }
  return show(vscode.Uri.file(file), request.cite);
}

/** Opens the full output of an experiment of the shown run, by the path its log record gives, only inside the run folder. */
export async function openExperiment(runDir: string | undefined, request: { id: number; cite?: string }): Promise<boolean> {
  const experiment = runDir && (await experimentRecord(runDir, request.id));
  if (!runDir || !experiment) return tell(vscode.l10n.t("BudgetML: experiment #{0} is not in the run's log.", request.id));
  const file = await insideFolder(runDir, experiment.output);
  if (!file) return tell(vscode.l10n.t('BudgetML: the output of experiment #{0} is missing from the run folder.', request.id));
  return show(vscode.Uri.file(file), request.cite);
}

/** Every version of the research plan as a read-only markdown document, with its preview beside it. */
export async function showPlanHistory(
  runDir: string | undefined,
  goal: string | undefined,
  plan: PlanView,
  texts: RunTextProvider,
): Promise<boolean> {
  if (!plan.history.length) return tell(vscode.l10n.t('BudgetML: the planner has not written a plan yet.'));
  const versions = plan.history.map((v) => `## ${vscode.l10n.t('Step {0}', v.step)}\n\n${v.text.trim()}\n`);
  const text = [
    `# ${plan.history.length === 1 ? vscode.l10n.t('Research plan, 1 version') : vscode.l10n.t('Research plan, {0} versions', plan.history.length)}`,
    goal ? `\n> ${goal}\n` : '',
    ...versions,
  ].join('\n');
  const doc = await texts.open(`${runDir ? basename(runDir) : 'run'}/research-plan.md`, text);
  await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri).then(undefined, () => undefined);
  return true;
}

async function stepRecord(runDir: string, step: number): Promise<StepRecord | undefined> {
  return (await readRunLog(runDir)).filter((r): r is StepRecord => r.type === 'step' && r.step === step).pop();
}

async function experimentRecord(runDir: string, id: number): Promise<ExperimentRecord | undefined> {
  const records = await readRunLog(runDir);
  return records.flatMap((r) => (r.type === 'experiment' && r.experiment?.id === id ? [r.experiment] : [])).pop();
}

/** The file `rel` names, when it exists inside `folder` (links resolved); else undefined. */
async function insideFolder(folder: string, rel: unknown): Promise<string | undefined> {
  if (typeof rel !== 'string' || rel === '' || isAbsolute(rel)) return undefined;
  try {
    const root = await realpath(folder);
    const file = await realpath(resolve(folder, rel));
    const path = relative(root, file);
    return path && !path.startsWith('..') && !isAbsolute(path) ? file : undefined;
  } catch {
    return undefined;
  }
}

async function show(uri: vscode.Uri, cite: string | undefined): Promise<boolean> {
  const editor = await vscode.window.showTextDocument(uri, { preview: true, preserveFocus: true });
  const at = cite ? editor.document.getText().indexOf(cite) : -1;
  if (cite && at >= 0) {
    const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + cite.length));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return true;
}

function tell(message: string): false {
  void vscode.window.showInformationMessage(message);
  return false;
}

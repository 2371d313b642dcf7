import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../core/events';
import type { RunSummary } from '../core/run';
import type { Task } from '../core/task/task';
import { loadAgentCore, type AgentCore } from './agentCoreLoader';
import { Disposable } from './disposable';
import { logRunEvent } from './runLog';
import { newestRun, newestUnfinishedRun, newRunId, readRunTask, runsRoot, saveRunTask, spentSoFar } from './runFolders';
import { buildTask, gatherInputs, type RunInputs, type StartArgs } from './runInputs';
import type { KeyStore } from './secrets';
import { formatUsd, type SpendMeter } from './spendMeter';
import type { VsCodeHost } from './vscodeHost';

export interface RunControllerDeps {
  host: VsCodeHost;
  meter: SpendMeter;
  channel: vscode.LogOutputChannel;
  keys: KeyStore;
  /** the `budgetml.*` keys declared in the manifest */
  settingKeys: readonly string[];
}

/** Starts, stops and resumes runs; their events drive the spend meter and the log channel. */
export class RunController extends Disposable {
  private active: { controller: AbortController; runDir: string } | undefined;
  /** a Start Task / Resume Run is under way (asking for the goal, or running) */
  private busy = false;
  private lastRunDir: string | undefined;

  private readonly _onDidRunEvent = this._register(new vscode.EventEmitter<RunEvent>());
  /** every event of the current run, in order (for views that follow runs) */
  readonly onDidRunEvent = this._onDidRunEvent.event;

  constructor(private readonly deps: RunControllerDeps) {
    super();
    this._register(new vscode.Disposable(() => this.active?.controller.abort()));
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  /** Start Task: asks for the goal (unless given) and runs the agent until it ends. */
  async start(args?: StartArgs): Promise<RunSummary | undefined> {
    if (this.refuseSecondRun()) return undefined;
    return this.guard(async () => {
      const core = await loadAgentCore();
      const inputs = await gatherInputs(core, this.deps.settingKeys, this.deps.keys, this.deps.host.prompts);
      const task = inputs && (await buildTask(core, inputs, args));
      if (!inputs || !task) return undefined;
      const runDir = join(runsRoot(inputs.folder.uri.fsPath), newRunId());
      await mkdir(runDir, { recursive: true });
      await saveRunTask(runDir, task);
      return this.launch(core, inputs, task, runDir, false);
    });
  }

  /** Resume Run: continues the newest unfinished run of the workspace from its last finished step. */
  async resume(): Promise<RunSummary | undefined> {
    if (this.refuseSecondRun()) return undefined;
    return this.guard(async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const runDir = folder && (await newestUnfinishedRun(folder.uri.fsPath));
      if (!runDir) {
        void vscode.window.showInformationMessage('BudgetML: there is no unfinished run in this workspace to resume.');
        return undefined;
      }
      const core = await loadAgentCore();
      const inputs = await gatherInputs(core, this.deps.settingKeys, this.deps.keys, this.deps.host.prompts);
      if (!inputs) return undefined;
      const saved = await readRunTask(runDir);
      if (!saved) throw new Error(`${runDir} has neither task.json nor a readable log.jsonl`);
      const task: Task = 'readOnlyGlobs' in saved ? saved : core.loadWorkspaceTask(saved.workspace, inputs.config.python, saved.goal);
      return this.launch(core, inputs, task, runDir, true);
    });
  }

  /** Stop Task: aborts the run; its script's process tree ends, a waiting review closes. */
  stop(): boolean {
    if (!this.active) {
      void vscode.window.showInformationMessage('BudgetML: no run is going.');
      return false;
    }
    this.deps.channel.info('Stopping the run');
    this.active.controller.abort();
    return true;
  }

  /** The run folder Open Run Log and the meter show: the current run, else the latest. */
  async currentRunDir(): Promise<string | undefined> {
    if (this.active) return this.active.runDir;
    if (this.lastRunDir) return this.lastRunDir;
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder && newestRun(folder.uri.fsPath);
  }

  private async launch(core: AgentCore, inputs: RunInputs, task: Task, runDir: string, resume: boolean): Promise<RunSummary> {
    const spent = resume ? await spentSoFar(runDir) : 0;
    const controller = new AbortController();
    this.active = { controller, runDir };
    this.lastRunDir = runDir;
    void vscode.commands.executeCommand('setContext', 'budgetml.running', true);
    this.deps.meter.reset(inputs.config.budgetUsd, spent);
    this.deps.channel.info(`${resume ? 'Resuming' : 'Starting'} a run in ${runDir} (python: ${inputs.config.python})`);
    try {
      const summary = await core.runAgent({
        task,
        config: inputs.config,
        host: this.deps.host,
        keys: inputs.keys,
        runDir,
        resume,
        signal: controller.signal,
        onEvent: (event) => this.onEvent(event),
      });
      this.report(summary);
      return summary;
    } finally {
      this.active = undefined;
      void vscode.commands.executeCommand('setContext', 'budgetml.running', false);
    }
  }

  private onEvent(event: RunEvent): void {
    this.deps.meter.handle(event);
    logRunEvent(this.deps.channel, event);
    this._onDidRunEvent.fire(event);
  }

  private report(summary: RunSummary): void {
    const score = summary.score !== null ? `, score ${summary.score}` : '';
    const steps = `${summary.steps} step${summary.steps === 1 ? '' : 's'}`;
    const message = summary.message ? ` ${summary.message[0].toUpperCase()}${summary.message.slice(1)}${/[.!?]$/.test(summary.message) ? '' : '.'}` : '';
    const text = `BudgetML run ended (${summary.status.replace('_', ' ')}): ${steps}, ${formatUsd(summary.cost.usd)}${score}.${message}`;
    const show = summary.status === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    void show(text, 'Open Summary', 'Open Run Log').then((choice) => {
      if (choice === 'Open Summary') void openInEditor(join(summary.runDir, 'summary.json'));
      if (choice === 'Open Run Log') void openInEditor(join(summary.runDir, 'log.jsonl'));
    });
  }

  private refuseSecondRun(): boolean {
    if (!this.busy) return false;
    void vscode.window.showWarningMessage('BudgetML: a run is already going. Stop it first (BudgetML: Stop Task).');
    return true;
  }

  /** Errors surface here, at the command boundary, with a way to the log. */
  private async guard<T>(work: () => Promise<T | undefined>): Promise<T | undefined> {
    this.busy = true;
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.channel.error(`Run failed: ${message}`);
      void vscode.window.showErrorMessage(`BudgetML: ${message}`, 'Open Log').then((choice) => {
        if (choice) this.deps.channel.show();
      });
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}

/** Opens a file of a run folder in a preview editor; says so when it does not exist. */
export async function openInEditor(file: string): Promise<boolean> {
  if (!existsSync(file)) {
    void vscode.window.showInformationMessage(`BudgetML: ${file} does not exist yet.`);
    return false;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
  return true;
}

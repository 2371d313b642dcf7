import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../core/events';
import type { RunSummary } from '../core/run';
import type { Task } from '../core/task/task';
import type { LogLevel } from '../core/host';
import { computeExecutor, DETACHABLE } from '../node/compute/computeExecutor';
import { DetachedExecutor } from '../node/compute/detachedExecutor';
import { loadAgentCore, type AgentCore } from './agentCoreLoader';
import { Disposable } from './disposable';
import { OLLAMA_BASE_URL } from './modelSources';
import { logRunEvent } from './runLog';
import {
  createRunFolder,
  lifelinesUsedSoFar,
  newestRun,
  newestUnfinishedRun,
  readRunTask,
  REPLAY_PREFIX,
  saveRunLimits,
  saveRunTask,
} from './runFolders';
import { showRunProgress } from './runProgress';
import { RunSteering } from './runSteering';
import { gatherInputs, type RunInputs, type StartArgs } from './runInputs';
import { reportPreflightFailure } from './preflightReport';
import { reportRunEnd } from './runReport';
import { prepareStart, type StartPlan } from './runStart';
import type { KeyStore } from './secrets';
import type { VsCodeHost } from './vscodeHost';
import { newRunId } from '../shared/runs';

export interface RunControllerDeps {
  host: VsCodeHost;
  channel: vscode.LogOutputChannel;
  keys: KeyStore;
  /** the `budgetml.*` keys declared in the manifest */
  settingKeys: readonly string[];
  /** where the recorded demo and the sample workspace are */
  extensionUri: vscode.Uri;
}

/** What the planner is told when the user spends a lifeline. */
const USER_EXPERT_REQUEST = 'The user asked the expert to plan this step.';

interface ActiveRun {
  controller: AbortController;
  runDir: string;
  replay: boolean;
  lifelinesLeft: number;
  /** the user's notes and pauses for this run */
  steering: RunSteering;
  /** set by Ask the Expert, taken by the run before its next step */
  expertRequest?: string;
}

/** Why a run was cancelled, as the run's summary and the sidebar say it. */
const STOPPED_BY_USER = 'the run was stopped';
const WINDOW_CLOSED = 'the window was closed or reloaded; BudgetML: Resume Run continues the run';

/** Starts, stops and resumes runs; their events drive the log channel, the sidebar and the spend meter. */
export class RunController extends Disposable {
  private active: ActiveRun | undefined;
  /** aborted when the window closes or reloads */
  private readonly leaving = new AbortController();
  /** a Start Task / Resume Run is under way (asking for the goal, or running) */
  private busy = false;
  private lastRunDir: string | undefined;
  /** the local OpenAI-compatible server offered when no provider has a key (replaceable for tests) */
  localBaseUrl = OLLAMA_BASE_URL;

  private readonly _onDidRunEvent = this._register(new vscode.EventEmitter<RunEvent>());
  /** every event of the current run, in order (for views that follow runs) */
  readonly onDidRunEvent = this._onDidRunEvent.event;
  private readonly _onDidChangeSteering = this._register(new vscode.EventEmitter<RunSteering | undefined>());
  /** a note or pause of the current run changed, or a run started or ended */
  readonly onDidChangeSteering = this._onDidChangeSteering.event;

  constructor(private readonly deps: RunControllerDeps) {
    super();
    // the window goes: scripts running detached are left running for Resume Run, then the run stops
    this._register(new vscode.Disposable(() => (this.leaving.abort(), this.active?.controller.abort(WINDOW_CLOSED))));
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  /** The Steering port of the current run (undefined when none is going). */
  get steering(): RunSteering | undefined {
    return this.active?.steering;
  }

  /** Start Task: asks for the goal (unless given) and runs the agent until it ends. */
  async start(args?: StartArgs): Promise<RunSummary | undefined> {
    if (this.refuseSecondRun() || this.refuseUntrusted(vscode.l10n.t('Start Task'))) return undefined;
    return this.guard(async () => {
      const core = await loadAgentCore();
      const { settingKeys, keys, host, extensionUri } = this.deps;
      const plan = await prepareStart(
        core,
        { settingKeys, keys, prompts: host.prompts, extensionUri, localBaseUrl: this.localBaseUrl },
        args,
      );
      if (!plan) return undefined;
      const runDir = await createRunFolder(plan.inputs.folder.uri.fsPath, `${plan.replay ? REPLAY_PREFIX : ''}${newRunId()}`);
      await saveRunTask(runDir, plan.task);
      return this.launch(core, plan, runDir, false);
    });
  }

  /** Resume Run: continues the newest unfinished run of the workspace from its last finished step. */
  async resume(): Promise<RunSummary | undefined> {
    if (this.refuseSecondRun() || this.refuseUntrusted(vscode.l10n.t('Resume Run'))) return undefined;
    return this.guard(async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const runDir = folder && (await newestUnfinishedRun(folder.uri.fsPath));
      if (!runDir) {
        return void vscode.window.showInformationMessage(
          vscode.l10n.t('BudgetML: there is no unfinished run in this workspace to resume.'),
        );
      }
      if (basename(runDir).startsWith(REPLAY_PREFIX)) {
        return void vscode.window.showInformationMessage(
          vscode.l10n.t('BudgetML: a replay of the recorded demo cannot be resumed; start the demo again.'),
        );
      }
      const core = await loadAgentCore();
      const gathered = await gatherInputs(core, this.deps.settingKeys, this.deps.keys);
      if (!gathered) return undefined;
      if (gathered.missing.length) return void this.deps.host.prompts.missingKeys(gathered.missing);
      const saved = await readRunTask(runDir);
      if (!saved) throw new Error(vscode.l10n.t('{0} has neither task.json nor a readable log.jsonl', runDir));
      const task: Task =
        'readOnlyGlobs' in saved ? saved : core.loadWorkspaceTask(saved.workspace, gathered.inputs.config.python, saved.goal);
      return this.launch(core, { inputs: gathered.inputs, task }, runDir, true);
    });
  }

  /** Stop Task: aborts the run; its script's process tree ends, a waiting review closes. */
  stop(): boolean {
    if (!this.active) {
      void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: no run is going.'));
      return false;
    }
    this.deps.channel.info('Stopping the run');
    this.active.controller.abort(STOPPED_BY_USER);
    return true;
  }

  /**
   * Ask the Expert: the expert model plans the run's next step, spending a lifeline. Undefined when
   * it is on its way; else why it cannot be (no run, a replay, no lifeline left).
   */
  requestExpert(): string | undefined {
    const run = this.active;
    const refused = this.whyNoExpert();
    if (refused || !run) return refused;
    run.expertRequest = USER_EXPERT_REQUEST;
    this.deps.channel.info('The user asked the expert to plan the next step');
    return undefined;
  }

  /** Why the expert cannot be asked now (no run, a replay, no lifeline left); undefined when it can. */
  whyNoExpert(): string | undefined {
    const run = this.active;
    if (!run) return 'no run is going';
    if (run.replay) return 'a replay has no expert to ask';
    if (run.lifelinesLeft <= 0) return 'no lifeline is left';
    return undefined;
  }

  /** A note for the planner's next prompt. False when no run is going. */
  steer(text: string): boolean {
    this.active?.steering.addNote(text);
    if (this.active) this.deps.channel.info(`A note for the planner: ${text}`);
    return this.active !== undefined;
  }

  /** Pause after the current step / go on. False when no run is going. */
  pause(): boolean {
    this.active?.steering.pause();
    return this.active !== undefined;
  }

  continue(): boolean {
    this.active?.steering.resume();
    return this.active !== undefined;
  }

  /** The run folder Open Run Log and the meter show: the current run, else the latest. */
  async currentRunDir(): Promise<string | undefined> {
    if (this.active) return this.active.runDir;
    if (this.lastRunDir) return this.lastRunDir;
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder && newestRun(folder.uri.fsPath);
  }

  private async launch(core: AgentCore, { inputs, task, replay }: StartPlan, runDir: string, resume: boolean): Promise<RunSummary> {
    const used = resume ? await lifelinesUsedSoFar(runDir) : 0;
    await saveRunLimits(runDir, { maxSteps: inputs.config.maxSteps, lifelinesTotal: inputs.config.lifelines });
    const steering = new RunSteering();
    const run: ActiveRun = {
      controller: new AbortController(),
      runDir,
      replay: replay !== undefined,
      lifelinesLeft: Math.max(0, inputs.config.lifelines - used),
      steering,
    };
    this.active = run;
    this.lastRunDir = runDir;
    const steeringChanged = steering.onDidChange(() => this._onDidChangeSteering.fire(steering));
    this._onDidChangeSteering.fire(steering);
    void vscode.commands.executeCommand('setContext', 'budgetml.running', true);
    this.announce(inputs, runDir, resume, run.replay);
    this.useCompute(inputs, task, runDir);
    let settled!: () => void;
    const progress = showRunProgress(new Promise<void>((resolve) => (settled = resolve)), inputs.config.maxSteps);
    try {
      const summary = await core.runAgent({
        task,
        config: inputs.config,
        host: this.deps.host,
        keys: inputs.keys,
        runDir,
        resume,
        signal: run.controller.signal,
        onEvent: (event) => {
          progress(event);
          this.onEvent(event, run);
        },
        ...(replay ? { replay } : {}),
        expertRequests: { take: () => takeRequest(run) },
        steering,
      });
      reportRunEnd(summary);
      return summary;
    } finally {
      settled();
      this.deps.host.useCompute(undefined);
      this.active = undefined;
      steeringChanged.dispose();
      steering.dispose();
      this._onDidChangeSteering.fire(undefined);
      void vscode.commands.executeCommand('setContext', 'budgetml.running', false);
    }
  }

  /**
   * Scripts of this run go to the compute backend the settings name. On this machine they run detached,
   * their output in the run folder: a window reload leaves them running and Resume Run follows them.
   */
  private useCompute(inputs: RunInputs, task: Task, runDir: string): void {
    const { compute, python } = inputs.config;
    const log = (level: LogLevel, message: string) => this.deps.host.log(level, message);
    if (compute.backend === 'local' && !DETACHABLE) return this.deps.host.useCompute(undefined); // the terminal's shell
    const executor =
      compute.backend === 'local'
        ? new DetachedExecutor(join(runDir, 'detached'), { leaving: this.leaving.signal })
        : computeExecutor(compute, { log, runDir, workspace: task.workspace, python });
    if (executor.remote) this.deps.host.log('info', `Scripts of this run run on ${executor.describe()}`);
    this.deps.host.useCompute(executor);
  }

  private announce(inputs: RunInputs, runDir: string, resume: boolean, replay: boolean): void {
    const { channel } = this.deps;
    if (replay) {
      channel.info(
        `Replay: starting the recorded demo in ${runDir}: recorded model answers, no API is called (python: ${inputs.config.python})`,
      );
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'BudgetML: Replay of the recorded demo started. The model answers are recorded (no API is called, nothing is charged); edits and script runs are real.',
        ),
      );
      return;
    }
    channel.info(
      `${resume ? 'Resuming' : 'Starting'} a run in ${runDir} (models: ${inputs.config.models.planner.join(', ')}; python: ${inputs.config.python})`,
    );
  }

  private onEvent(event: RunEvent, run: ActiveRun): void {
    if (event.type === 'lifeline') run.lifelinesLeft = event.left;
    if (event.type === 'step-started') this.deps.host.step = event.step;
    logRunEvent(this.deps.channel, event);
    this._onDidRunEvent.fire(event);
  }

  private refuseSecondRun(): boolean {
    if (!this.busy) return false;
    void vscode.window.showWarningMessage(vscode.l10n.t('BudgetML: a run is already going. Stop it first (BudgetML: Stop Task).'));
    return true;
  }

  /** In Restricted Mode nothing runs: says so, with a way to trust the folder. */
  private refuseUntrusted(what: string): boolean {
    if (this.deps.host.isTrusted()) return false;
    this.deps.channel.info(`${what}: the workspace is not trusted`);
    this.deps.host.prompts.explainUntrusted(what);
    return true;
  }

  /** Errors surface here, at the command boundary, with a way to the log. */
  private async guard<T>(work: () => Promise<T | undefined>): Promise<T | undefined> {
    this.busy = true;
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof Error && error.name === 'PreflightError') {
        void reportPreflightFailure(message, this.lastRunDir, this.deps.channel);
        return undefined;
      }
      this.deps.channel.error(`Run failed: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('BudgetML: {0}', message), vscode.l10n.t('Open Log')).then((choice) => {
        if (choice) this.deps.channel.show();
      });
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}

/** The user's request for the expert, once. */
function takeRequest(run: ActiveRun): string | undefined {
  const request = run.expertRequest;
  run.expertRequest = undefined;
  return request;
}

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Ledger } from '../../core/cost/ledger';
import type { RunEvent } from '../../core/events';
import type { LogRecord } from '../../core/memory/researchLog';
import { sidebarFromLog } from '../../core/view/sidebarLog';
import {
  initialSidebar,
  reduceSidebar,
  withMetricChoice,
  type SidebarInput,
  type SidebarOptions,
  type SidebarState,
} from '../../core/view/sidebarState';
import { EMPTY_SETUP, type DecisionView, type SetupView, type SidebarView } from '../../shared/viewModels';
import { newestRun, readRunLimits } from '../runFolders';
import { readRunLog, readRunLogNow } from './runLog';

export interface SidebarSessionDeps {
  /** where the view goes (the SidebarProvider) */
  show(view: SidebarView): void;
  /** the step limit and lifelines the run works with (the settings) */
  limits(): { maxSteps: number; lifelinesTotal: number; budgetUsd?: number };
}

/**
 * The sidebar's side of a run: folds the run's events (model calls and experiments included) into
 * the view and shows it. The run's log is read only to show a run this window did not follow from
 * its start: a finished one after a reload, or one that resumes.
 */
export class SidebarSession {
  private state: SidebarState;
  private options: SidebarOptions;
  /** what the host adds on top of the run's own view: the pending decision, a pause asked for, the setup */
  private decision: { view: DecisionView; since: number } | null = null;
  private pauseRequested = false;
  private setup: SetupView = EMPTY_SETUP;
  /**
   * A resumed run's booked total (its ended calls, and each call a reload cut off at its worst
   * case), shown until the run's own first spend figure arrives.
   */
  private bookedFloor: number | undefined;
  private composed: SidebarView;
  /** the run folder the view shows */
  private shownRunDir: string | undefined;
  /** live runs followed so far: a restore that a live run overtook is dropped */
  private followed = 0;

  constructor(private readonly deps: SidebarSessionDeps) {
    this.options = deps.limits();
    this.state = initialSidebar(this.options);
    this.composed = this.compose();
  }

  /** What the sidebar shows: the run's view with the host's decision, pause and setup on top. */
  get view(): SidebarView {
    return this.composed;
  }

  /** A live run was followed in this window (the spend meter shows only those). */
  get followsLive(): boolean {
    return this.followed > 0;
  }

  /** The folder of the run the view shows (its log and artifacts), if any. */
  get runDir(): string | undefined {
    return this.shownRunDir;
  }

  /** Every event of a live run, in order. */
  handle(event: RunEvent): void {
    if (event.type === 'run-started') this.start(event);
    else this.reduce(event);
    if (event.type === 'spend' || event.type === 'budget-warning') this.bookedFloor = undefined;
    if (event.type === 'run-ended') this.pauseRequested = false;
    this.publish();
  }

  /** Shows a finished or interrupted run from its folder (after a window reload). */
  async restore(runDir: string): Promise<void> {
    if (this.state.view.run?.status === 'running') return;
    const followed = this.followed;
    const records = await readRunLog(runDir);
    const replay = (await recordedReplay(runDir)) ?? isReplayRun(runDir);
    // a live run that started meanwhile wins
    if (followed !== this.followed) return;
    this.options = { ...this.limitsOf(runDir), replay };
    this.state = sidebarFromLog(records, { ...this.options, live: false });
    this.shownRunDir = runDir;
    this.publish();
  }

  /** Shows the newest run of a workspace folder, if it has one. */
  async restoreNewest(workspace: string): Promise<void> {
    const runDir = await newestRun(workspace);
    if (runDir) await this.restore(runDir);
  }

  /** The decision the run waits for, from the decision board (null when none waits). */
  setDecision(decision: { view: DecisionView; since: number } | null): void {
    this.decision = decision;
    this.publish();
  }

  /** The user asked to pause after the current step (until Continue). */
  setPauseRequested(paused: boolean): void {
    if (paused === this.pauseRequested) return;
    this.pauseRequested = paused;
    this.publish();
  }

  /** What the empty state and Restricted Mode offer. */
  setSetup(setup: SetupView): void {
    this.setup = setup;
    this.publish();
  }

  /** The metric the chart plots, as the user chose it (null: the task's, else the most relevant). */
  chooseMetric(metric: string | null): void {
    this.state = withMetricChoice(this.state, metric, this.options);
    this.publish();
  }

  /**
   * A run starts or resumes. The run the view shows goes on; another one is read from its log,
   * which holds everything it did before (only its first record, for a new run).
   */
  private start(event: Extract<RunEvent, { type: 'run-started' }>): void {
    this.followed += 1;
    this.shownRunDir = event.runDir;
    this.options = { ...this.limitsOf(event.runDir), replay: event.replay ?? isReplayRun(event.runDir) };
    const shown = this.state.view.run?.id === event.runId;
    const log = event.resumedFromStep > 0 || !shown ? readRunLogNow(event.runDir) : [];
    this.bookedFloor = event.resumedFromStep > 0 ? bookedTotal(log) : undefined;
    if (!shown && log.length > 0) this.state = sidebarFromLog(log, { ...this.options, live: true });
    else this.reduce(event, shown ? this.state : initialSidebar(this.options));
  }

  /** The limits the run was started with, else those of the settings now. */
  private limitsOf(runDir: string): { maxSteps: number; lifelinesTotal: number } {
    return readRunLimits(runDir) ?? this.deps.limits();
  }

  private reduce(input: SidebarInput, from = this.state): void {
    this.state = reduceSidebar(from, input, this.options);
  }

  private publish(): void {
    this.composed = this.compose();
    this.deps.show(this.composed);
  }

  private compose(): SidebarView {
    const view = this.state.view;
    const { decision } = this;
    const run = view.run && this.pauseRequested && view.run.status === 'running' ? { ...view.run, paused: true } : view.run;
    const floor = this.bookedFloor;
    const cost = floor !== undefined && floor > view.cost.usd ? { ...view.cost, usd: floor } : view.cost;
    return {
      ...view,
      run,
      cost,
      decision: decision?.view ?? null,
      now: decision ? { kind: 'waiting', since: decision.since, decision: decision.view.kind } : view.now,
      setup: this.setup,
    };
  }
}

/** What a run's log has booked: the core's ledger rebuilt from it, as the run's own resume does. */
function bookedTotal(records: LogRecord[]): number {
  return Ledger.fromLog(records).totalUsd;
}

/** `npm run replay` names its run folders replay-<time>: their model answers are recorded. */
function isReplayRun(runDir: string): boolean {
  return basename(runDir).startsWith('replay-');
}

/** A finished run's summary.json says whether its answers were replayed. */
async function recordedReplay(runDir: string): Promise<boolean | undefined> {
  try {
    const summary = JSON.parse(await readFile(join(runDir, 'summary.json'), 'utf8')) as { replay?: unknown };
    return typeof summary.replay === 'boolean' ? summary.replay : undefined;
  } catch {
    return undefined;
  }
}

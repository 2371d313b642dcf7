import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunEvent } from '../../core/events';
import type { LogRecord } from '../../core/memory/researchLog';
import { initialSidebar, reduceSidebar, sidebarFromLog, withPendingEdit, type SidebarOptions, type SidebarState } from '../../core/view/sidebarState';
import type { SidebarView } from '../../shared/viewModels';
import { newestRun, readRunLimits } from '../runFolders';
import { LogFollower, parseLines } from './logFollower';

export interface SidebarSessionDeps {
  /** where the view goes (the SidebarProvider) */
  show(view: SidebarView): void;
  /** the step limit and lifelines the run works with (the settings) */
  limits(): { maxSteps: number; lifelinesTotal: number };
}

/**
 * The sidebar's side of a run: folds the run's events into the view and shows it. The model
 * calls (cost by model and role) are not events: they are read from the run's log as it grows.
 */
export class SidebarSession {
  private state: SidebarState;
  private follower: LogFollower | undefined;
  private options: SidebarOptions;
  private pendingEdit: string | null = null;
  /** the run folder the view shows */
  private shownRunDir: string | undefined;
  /** live runs followed so far: a restore that a live run overtook is dropped */
  private followed = 0;

  constructor(private readonly deps: SidebarSessionDeps) {
    this.options = deps.limits();
    this.state = initialSidebar(this.options);
  }

  get view(): SidebarView {
    return this.state.view;
  }

  /** The folder of the run the view shows (its log and artifacts), if any. */
  get runDir(): string | undefined {
    return this.shownRunDir;
  }

  /** Every event of a live run, in order. */
  handle(event: RunEvent): void {
    if (event.type === 'run-started') this.follow(event.runDir, event.replay ?? isReplayRun(event.runDir));
    const records = event.type === 'spend' && event.streaming ? [] : (this.follower?.readNew() ?? []);
    for (const record of records) {
      if (record.type === 'call') this.reduce(record);
    }
    this.reduce(event.type === 'score' ? { ...event, higherIsBetter: directionOf(records, event.label) } : event);
    this.publish();
  }

  /** Shows a finished or interrupted run from its folder (after a window reload). */
  async restore(runDir: string): Promise<void> {
    if (this.state.view.run?.status === 'running') return;
    const followed = this.followed;
    const text = await readFile(join(runDir, 'log.jsonl'), 'utf8').catch(() => '');
    const replay = (await recordedReplay(runDir)) ?? isReplayRun(runDir);
    // a live run that started meanwhile wins
    if (followed !== this.followed) return;
    this.follower = undefined;
    this.options = { ...this.limitsOf(runDir), replay };
    this.state = sidebarFromLog(parseLines(text), { ...this.options, live: false });
    this.shownRunDir = runDir;
    this.publish();
  }

  /** Shows the newest run of a workspace folder, if it has one. */
  async restoreNewest(workspace: string): Promise<void> {
    const runDir = await newestRun(workspace);
    if (runDir) await this.restore(runDir);
  }

  /** The edit waiting for review, from the edit review (null when none waits). */
  setPendingEdit(file: string | null): void {
    this.pendingEdit = file;
    this.publish();
  }

  /** A run starts or resumes: what its log already holds is the starting point. */
  private follow(runDir: string, replay: boolean): void {
    this.follower = new LogFollower(join(runDir, 'log.jsonl'));
    this.followed += 1;
    this.shownRunDir = runDir;
    this.options = { ...this.limitsOf(runDir), replay };
    this.state = sidebarFromLog(this.follower.readNew(), { ...this.options, live: true });
  }

  /** The limits the run was started with, else those of the settings now. */
  private limitsOf(runDir: string): { maxSteps: number; lifelinesTotal: number } {
    return readRunLimits(runDir) ?? this.deps.limits();
  }

  private reduce(input: Parameters<typeof reduceSidebar>[1]): void {
    this.state = reduceSidebar(this.state, input, this.options);
  }

  private publish(): void {
    this.state = withPendingEdit(this.state, this.pendingEdit);
    this.deps.show(this.state.view);
  }
}

/** `npm run replay` names its run folders replay-<time>: their model answers are recorded. */
export function isReplayRun(runDir: string): boolean {
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

function directionOf(records: readonly LogRecord[], label: 'baseline' | 'final'): boolean | undefined {
  const record = records.find((r): r is Extract<LogRecord, { type: 'score' }> => r.type === 'score' && r.label === label);
  return record?.higherIsBetter;
}

/** What a run tells its surroundings while it works (status bar, log channel, sidebar, CLI output). */

import type { ExperimentKind } from './experiments/types';
import type { Role } from './llm/types';
import type { LogRecord } from './memory/researchLog';

/** Log records that are also events: what a listener learns without reading the log. */
export type RecordedEvent = Extract<LogRecord, { type: 'call' | 'call-started' | 'warning' | 'experiment' | 'verdict' | 'user-note' }>;

export type { RunStatus } from '../shared/runs';
import type { RunStatus } from '../shared/runs';

export type RunEvent =
  | { type: 'run-started'; runId: string; runDir: string; goal: string; budgetUsd: number; resumedFromStep: number; replay?: boolean }
  /** `at`: when it started (ms since the epoch) */
  | { type: 'step-started'; step: number; at: number }
  | {
      type: 'planned';
      step: number;
      model: string;
      reflection: string;
      researchPlan: string;
      factCheck: string;
      thought: string;
      action: string;
      actionInput: Record<string, unknown>;
    }
  /** `at`: the time of the step's record in the log (ms since the epoch) */
  | { type: 'observation'; step: number; action: string; observation: string; artifacts?: { diff?: string; output?: string }; at?: number }
  /** spend so far; `streaming` while a reply is still arriving (an estimate until it ends) */
  | { type: 'spend'; usd: number; budgetUsd: number; streaming: boolean }
  | { type: 'budget-warning'; usd: number; budgetUsd: number }
  | { type: 'escalation'; role: string; from: string; to: string; reason: string; addedUsd: number }
  | { type: 'lifeline'; used: number; left: number }
  /** what one Ask the Expert may cost at most now (its worst case with the current context); after each planner call */
  | { type: 'expert-quote'; usd: number }
  | { type: 'score'; label: 'baseline' | 'final'; score: number | null; metric: string; higherIsBetter?: boolean }
  /** a script run starts: an experiment is being recorded */
  | {
      type: 'experiment-started';
      id: number;
      step: number;
      kind: ExperimentKind;
      script: string;
      command: string;
      /** ms since the epoch */
      startedAt: number;
      /** the time limit it runs under; null: none */
      timeoutSec: number | null;
      /** where it runs when not on this machine: an SSH host and folder, SLURM */
      where?: string;
    }
  /** the last non-empty line a running script printed (at most a few a second) */
  | { type: 'script-output'; step: number; line: string }
  /** a model reply arriving: the text so far (its start, at most a few thousand characters; a few a second) */
  | { type: 'reply-progress'; callId: string; role: Role; model: string; text: string }
  /** the user asked to pause after this step: the run waits before the next one */
  | { type: 'paused'; afterStep: number }
  | { type: 'continued' }
  /** a metric line printed by the running experiment, as it arrives */
  | { type: 'metric'; experiment: number; step: number; name: string; value: number }
  | RecordedEvent
  | { type: 'run-ended'; status: RunStatus; message?: string };

export type RunEventListener = (event: RunEvent) => void;

/** What a run tells its surroundings while it works (status bar, log channel, sidebar, CLI output). */

import type { ExperimentKind } from './experiments/types';
import type { LogRecord } from './memory/researchLog';

/** Log records that are also events: what a listener learns without reading the log. */
export type RecordedEvent = Extract<LogRecord, { type: 'call' | 'warning' | 'experiment' | 'verdict' }>;

export type { RunStatus } from '../shared/runs';
import type { RunStatus } from '../shared/runs';

export type RunEvent =
  | { type: 'run-started'; runId: string; runDir: string; goal: string; budgetUsd: number; resumedFromStep: number; replay?: boolean }
  | { type: 'step-started'; step: number }
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
  | { type: 'observation'; step: number; action: string; observation: string; artifacts?: { diff?: string; output?: string } }
  /** spend so far; `streaming` while a reply is still arriving (an estimate until it ends) */
  | { type: 'spend'; usd: number; budgetUsd: number; streaming: boolean }
  | { type: 'budget-warning'; usd: number; budgetUsd: number }
  | { type: 'escalation'; role: string; from: string; to: string; reason: string; addedUsd: number }
  | { type: 'lifeline'; used: number; left: number }
  | { type: 'score'; label: 'baseline' | 'final'; score: number | null; metric: string; higherIsBetter?: boolean }
  /** a script run starts: an experiment is being recorded */
  | { type: 'experiment-started'; id: number; step: number; kind: ExperimentKind; script: string; command: string }
  /** a metric line printed by the running experiment, as it arrives */
  | { type: 'metric'; experiment: number; step: number; name: string; value: number }
  | RecordedEvent
  | { type: 'run-ended'; status: RunStatus; message?: string };

export type RunEventListener = (event: RunEvent) => void;

import { runStatusOf } from '../../shared/runs';
import type { LogRecord } from '../memory/researchLog';
import { initialSidebar, reduceSidebar, type SidebarInput, type SidebarOptions, type SidebarState } from './sidebarState';
import { epochMs } from './stepFacts';

/**
 * The sidebar of a run rebuilt from its log.jsonl: every record stands for the events the live run
 * emitted when it was written (call, call-started, warning, experiment, verdict and user-note records
 * are those events), so the fold gives the live view at the same point. What only the live run knows
 * (the reply arriving, the script's last line, a pause, the expert's quote) is not in the log.
 */

export interface FromLogOptions extends SidebarOptions {
  /** the run is still going in this window; otherwise an unfinished log means it was interrupted */
  live?: boolean;
}

export function sidebarFromLog(records: readonly LogRecord[], options: FromLogOptions): SidebarState {
  let state = initialSidebar(options);
  for (const record of records) {
    for (const input of inputsOf(record, state)) state = reduceSidebar(state, input, options);
  }
  const run = state.view.run;
  if (run?.status === 'running' && !options.live)
    state = { ...state, view: { ...state.view, run: { ...run, status: 'interrupted' }, now: null } };
  return state;
}

/** The inputs a log record stands for, in the order the live run emitted them. */
function inputsOf(record: LogRecord, state: SidebarState): SidebarInput[] {
  switch (record.type) {
    case 'run':
      return [{ type: 'run-started', runId: record.runId, runDir: '', goal: record.goal, budgetUsd: record.budgetUsd, resumedFromStep: 0 }];
    case 'resume': {
      const run = state.view.run;
      return [
        {
          type: 'run-started',
          runId: run?.id ?? '',
          runDir: '',
          goal: run?.goal ?? '',
          budgetUsd: state.view.cost.budgetUsd,
          resumedFromStep: record.fromStep - 1,
        },
      ];
    }
    case 'call':
    case 'warning':
    case 'experiment':
    case 'verdict':
    case 'user-note':
      return [record];
    case 'call-started':
      return callStartedInputs(record, state);
    case 'step': {
      const { step, response, model, observation, artifacts } = record;
      const at = epochMs(record.time);
      return [
        { type: 'step-started', step },
        { type: 'planned', step, model, ...response },
        {
          type: 'observation',
          step,
          action: response.action,
          observation,
          ...(artifacts ? { artifacts } : {}),
          ...(at === undefined ? {} : { at }),
        },
      ];
    }
    case 'escalation':
      return [
        {
          type: 'escalation',
          step: record.step,
          role: record.role,
          from: record.from,
          to: record.to,
          reason: record.reason,
          addedUsd: record.addedUsd,
        },
      ];
    case 'lifeline':
      return [{ type: 'lifeline', used: record.used, left: Math.max(0, state.view.cost.lifelinesTotal - record.used) }];
    case 'score':
      return [
        {
          type: 'score',
          label: record.label,
          score: record.score,
          metric: record.metric,
          ...(record.higherIsBetter === undefined ? {} : { higherIsBetter: record.higherIsBetter }),
        },
      ];
    case 'end':
      return [{ type: 'run-ended', status: runStatusOf(record.status), ...(record.message ? { message: record.message } : {}) }];
  }
}

/**
 * A call is sent; the first call of a step stands for the step's start (the live run starts a step
 * just before its first call). A call that never ended is booked by the ledger on resume.
 */
function callStartedInputs(record: Extract<LogRecord, { type: 'call-started' }>, state: SidebarState): SidebarInput[] {
  const run = state.view.run;
  const at = epochMs(record.time);
  const starts = run !== null && record.step > run.step && at !== undefined;
  return starts ? [{ type: 'step-started', step: record.step, at }, record] : [record];
}

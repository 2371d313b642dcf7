import type { NowView } from '../../shared/viewModels';

/**
 * What runs this moment, as the events tell it: model calls under way (their reply arriving), the
 * script running, the pause between steps. Only the live run knows it; the "Now" line shows it.
 */

type ModelNow = Extract<NowView, { kind: 'model' }>;
type ScriptNow = Extract<NowView, { kind: 'script' }>;
type PausedNow = Extract<NowView, { kind: 'paused' }>;

export interface Activity {
  /** calls sent and not yet booked, oldest first */
  calls: { callId: string; now: ModelNow }[];
  script: (ScriptNow & { step: number }) | null;
  paused: PausedNow | null;
}

export const IDLE: Activity = { calls: [], script: null, paused: null };

/** The newest call, else the script, else the pause; null when nothing runs. */
export function nowOf(activity: Activity): NowView | null {
  const call = activity.calls.at(-1);
  if (call) return call.now;
  if (activity.script) {
    const { step: _step, ...script } = activity.script;
    return script;
  }
  return activity.paused;
}

export function callStarted(activity: Activity, callId: string, now: ModelNow): Activity {
  return { ...activity, calls: [...activity.calls.filter((c) => c.callId !== callId), { callId, now }] };
}

/** A reply arriving updates its call's thought; a reply whose start went unseen opens it. */
export function replyArrived(activity: Activity, callId: string, fallback: ModelNow, thought: string): Activity {
  const open = activity.calls.find((c) => c.callId === callId);
  if (open?.now.thought === thought) return activity;
  const now = { ...(open?.now ?? fallback), thought };
  const calls = open ? activity.calls.map((c) => (c.callId === callId ? { callId, now } : c)) : [...activity.calls, { callId, now }];
  return { ...activity, calls };
}

/** A booked call ends its start (by id; a record without one ends the oldest call of its model). */
export function callEnded(activity: Activity, callId: string | undefined, model: string): Activity {
  const ended = callId ?? activity.calls.find((c) => c.now.model === model)?.callId;
  if (ended === undefined) return activity;
  return { ...activity, calls: activity.calls.filter((c) => c.callId !== ended) };
}

export function scriptStarted(activity: Activity, script: ScriptNow & { step: number }): Activity {
  return { ...activity, script };
}

export function scriptPrinted(activity: Activity, step: number, line: string): Activity {
  const { script } = activity;
  if (!script || script.step !== step || script.lastLine === line) return activity;
  return { ...activity, script: { ...script, lastLine: line } };
}

export function scriptEnded(activity: Activity): Activity {
  return activity.script ? { ...activity, script: null } : activity;
}

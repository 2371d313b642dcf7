import type { UserNote } from '../agents/plannerContext';
import type { RunContext } from './runContext';

/**
 * What the user says to a running run (RunOptions.steering), read between steps: notes for the
 * planner, and pauses.
 */

/** Logs the notes the user wrote since they were last taken, for the prompt of `step` (the step being run). */
export function takeUserNotes(ctx: RunContext, step = ctx.step): void {
  for (const text of ctx.options.steering?.takeNotes() ?? []) {
    if (text.trim() !== '') ctx.log.append({ type: 'user-note', step, text: text.trim() });
  }
}

/** Notes the run ends with, not yet taken: logged for the step a resumed run plans next. */
export function keepLeftoverNotes(ctx: RunContext): void {
  takeUserNotes(ctx, ctx.log.steps().length + 1);
}

/** The user's notes so far, as the log keeps them (without secrets), a resumed run's included. */
export function userNotes(ctx: RunContext): UserNote[] {
  return ctx.log.ofType('user-note').map(({ step, text }) => ({ step, text }));
}

/**
 * Waits before the step being run while the user has paused the run; `paused` and `continued` are
 * told only when it really waited. Cancelling while paused ends the run as cancelled.
 */
export async function waitWhilePaused(ctx: RunContext): Promise<void> {
  const { steering, signal } = ctx.options;
  if (!steering) return;
  const released = orAborted(steering.untilContinued(signal), signal);
  const waited = !(await settlesAtOnce(released));
  if (waited) ctx.emit({ type: 'paused', afterStep: ctx.step - 1 });
  await released;
  signal.throwIfAborted();
  if (waited) ctx.emit({ type: 'continued' });
}

/** True when the promise settled before the event loop moved on (no wait worth telling). */
async function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  const done = () => {
    settled = true;
  };
  promise.then(done, done);
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

/** The promise, rejected as soon as `signal` aborts (whether or not the promise heeds it). */
function orAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

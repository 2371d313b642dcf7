import type { RunEventListener } from '../events';
import { Throttle } from '../text/throttle';
import type { Role } from './types';

/** The start of a reply shown while it arrives. */
export const REPLY_PROGRESS_CHARS = 4000;

/** At most four `reply-progress` events a second per call. */
const REPLY_PROGRESS_INTERVAL_MS = 250;

export interface ReplyInProgress {
  callId: string;
  role: Role;
  model: string;
}

/**
 * Tells listeners the text of a reply so far (its first few thousand characters) while it streams
 * in, a few times a second. `stop` when the call ends: nothing is sent after it.
 */
export function replyProgress(
  call: ReplyInProgress,
  emit: RunEventListener,
  redact: (text: string) => string = (text) => text,
): { add(piece: string): void; stop(): void } {
  const throttle = new Throttle<string>(REPLY_PROGRESS_INTERVAL_MS, (text) =>
    emit({ type: 'reply-progress', ...call, text: redact(text) }),
  );
  let received = '';
  return {
    add: (piece) => {
      // past the shown start, the text shown no longer changes
      if (received.length >= REPLY_PROGRESS_CHARS) return;
      received = (received + piece).slice(0, REPLY_PROGRESS_CHARS);
      throttle.push(received);
    },
    stop: () => throttle.stop(),
  };
}

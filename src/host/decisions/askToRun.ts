import type { DecisionBoard, DecisionDraft } from './decisionBoard';

/** The user's answer to a script run; undefined when the run stopped first. */
export interface RunAnswer {
  run: boolean;
  reason?: string;
}

/**
 * Posts a script run on the board and waits for Run or Decline from wherever it comes. A Decline
 * without a reason asks for one (`askReason`); Stop withdraws the decision and resolves undefined.
 */
export function askToRun(
  board: DecisionBoard,
  draft: Extract<DecisionDraft, { kind: 'run' }>,
  askReason: (command: string) => Promise<string | undefined>,
  signal: AbortSignal,
): Promise<RunAnswer | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let id = '';
    const finish = (answer: RunAnswer | undefined) => {
      signal.removeEventListener('abort', onAbort);
      board.withdraw(id);
      resolve(answer);
    };
    const onAbort = () => finish(undefined);
    id = board.post(draft, {
      answer: async ({ choice, reason }) => {
        if (choice === 'run') return finish({ run: true });
        const why = reason === undefined ? await askReason(draft.command) : (reason ?? undefined);
        // stopped (or answered elsewhere) while the reason was typed
        if (!board.isPending(id)) return;
        finish({ run: false, ...(why?.trim() ? { reason: why.trim() } : {}) });
      },
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

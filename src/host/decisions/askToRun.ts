import * as vscode from 'vscode';
import type { DecisionBoard, DecisionDraft } from './decisionBoard';

/** The user's answer to a script run; undefined when the run stopped first. */
export interface RunAnswer {
  run: boolean;
  reason?: string;
}

/** Asks why a script run is declined; `token` is cancelled when the decision ends elsewhere (the box closes). */
export type AskReason = (command: string, token: vscode.CancellationToken) => Promise<string | undefined>;

/**
 * Posts a script run on the board and waits for Run or Decline from wherever it comes. A Decline
 * without a reason asks for one (`askReason`); while it asks, another answer (the sidebar's Run) still
 * wins and closes the box. Stop withdraws the decision, closes the box and resolves undefined.
 */
export function askToRun(
  board: DecisionBoard,
  draft: Extract<DecisionDraft, { kind: 'run' }>,
  askReason: AskReason,
  signal: AbortSignal,
): Promise<RunAnswer | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let id = '';
    let asking: vscode.CancellationTokenSource | undefined;
    const finish = (answer: RunAnswer | undefined) => {
      signal.removeEventListener('abort', onAbort);
      asking?.cancel();
      board.withdraw(id);
      resolve(answer);
    };
    const onAbort = () => finish(undefined);
    const decline = async (reason: string | null | undefined) => {
      // a second Decline that asks while the box is open: the open box answers it
      if (reason === undefined && asking) return;
      const why = reason === undefined ? await ask() : (reason ?? undefined);
      // stopped (or answered elsewhere) while the reason was typed
      if (!board.isPending(id)) return;
      finish({ run: false, ...(why?.trim() ? { reason: why.trim() } : {}) });
    };
    const ask = async () => {
      const source = (asking = new vscode.CancellationTokenSource());
      try {
        return await askReason(draft.command, source.token);
      } finally {
        if (asking === source) asking = undefined;
        source.dispose();
      }
    };
    id = board.post(draft, {
      answer: ({ choice, reason }) => (choice === 'run' ? finish({ run: true }) : decline(reason)),
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

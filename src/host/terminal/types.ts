import type { ScriptExit, ScriptRequest } from '../../core/host';

/** How a script ran: in the user's shell through shell integration, or in BudgetML's own pseudo-terminal. */
export type RunPath = 'shell-integration' | 'pseudoterminal';

export interface ScriptRun extends ScriptExit {
  via: RunPath;
}

/** One way of running a script in a terminal; `undefined` means "this path is not available, try another". */
export interface TerminalPath {
  run(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptRun | undefined>;
}

export const TERMINAL_NAME = 'BudgetML';

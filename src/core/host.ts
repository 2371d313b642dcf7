/**
 * The Host port: what the agent needs from its surroundings and must not decide alone.
 * The CLI implements it with Node's fs and child_process; the extension with VS Code's
 * diff review and integrated terminal. Reading and listing files is done by the core itself
 * (see workspace.ts): only writes that need the user's approval and script runs go through here.
 */

export interface EditProposal {
  /** absolute, already confined to the workspace */
  path: string;
  /** relative to the workspace, with forward slashes */
  relPath: string;
  /** the workspace's real root: a host writes `relPath` under it with the core's confined write */
  root: string;
  /** current content ('' for a new file) */
  original: string;
  proposed: string;
  /** unified diff of original → proposed */
  diff: string;
  /** why: the edit instruction the planner gave */
  reason: string;
}

export type EditDecision =
  /** `text` is what landed on disk: the proposal, or the user's own version of it */
  { accepted: true; text: string; userModified: boolean } | { accepted: false; reason?: string };

export interface ScriptRequest {
  /** the interpreter or program */
  command: string;
  args: string[];
  cwd: string;
  /** undefined: no limit */
  timeoutSec?: number;
  /** 'agent': the planner's Execute Script; 'eval': measuring a score (baseline or final) */
  purpose: 'agent' | 'eval';
  /** how to show the command to the user */
  display: string;
  /**
   * The whole environment of the process (the core leaves out the provider keys); unset: the host's
   * own. Hosts must use exactly this, not add their own environment to it.
   */
  env?: Record<string, string>;
}

export interface ScriptExit {
  /** null when the process was killed or never started */
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  /** the user declined to run it */
  declined?: boolean;
  declineReason?: string;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface Host {
  /** Shows the proposal to the user (or applies it when approval is off) and writes the file when accepted. */
  proposeEdit(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision>;
  /** Runs a process; every chunk of its output (stdout and stderr interleaved) goes to `onOutput`. */
  runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit>;
  log(level: LogLevel, message: string): void;
}

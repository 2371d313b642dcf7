/**
 * The ports through which the agent acts on its surroundings, each what the agent must not decide
 * alone or cannot do itself: approving edits (EditApprover), running scripts (ScriptExecutor: on this
 * machine, over SSH or as SLURM jobs) and reporting (Logger). The CLI and the extension each put the
 * three together as a Host. Reading and listing files is done by the core itself (see workspace.ts).
 */

import type { GpuProbe } from './compute/gpu';

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
  /** why the compute backend could not start or finish the script, when it knows (a dropped connection, a failed job) */
  failure?: string;
  /** the GPUs where the script ran, as nvidia-smi saw them when it started (backends that probe) */
  gpu?: GpuProbe;
  timedOut: boolean;
  cancelled: boolean;
  /** the user declined to run it */
  declined?: boolean;
  declineReason?: string;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface EditApprover {
  /** Shows the proposal to the user (or applies it when approval is off) and writes the file when accepted. */
  proposeEdit(proposal: EditProposal, signal: AbortSignal): Promise<EditDecision>;
}

export interface ScriptExecutor {
  /** Runs a process; every chunk of its output (stdout and stderr interleaved) goes to `onOutput`. */
  runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit>;
}

export interface Logger {
  log(level: LogLevel, message: string): void;
}

/** The three ports together, as the run is given them. */
export interface Host extends EditApprover, ScriptExecutor, Logger {}

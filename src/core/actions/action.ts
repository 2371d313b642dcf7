import type { z } from 'zod';
import type { LandedEdits } from './diskDrift';
import type { ExperimentRecorder } from '../experiments/recorder';
import type { Host } from '../host';
import type { ResearchLogView } from '../memory/types';
import type { Workspace } from '../workspace';

export interface RunDirs {
  /** the run folder: log.jsonl, summary.json */
  run: string;
  /** full outputs of script runs */
  outputs: string;
  /** copies of files before the agent edited them */
  backup: string;
}

export interface WorkerRequest {
  /** the worker persona and rules */
  system: string;
  user: string;
  /** for the log: what the worker is doing */
  purpose: string;
  maxOutputTokens?: number;
  /**
   * Checks a reply; returns a sentence saying what is wrong, or undefined when it is usable.
   * An unusable reply is retried and then escalated to the next worker model.
   */
  verify?: (text: string) => Promise<string | undefined>;
}

export interface WorkerLlm {
  /** Resolves with a verified reply, or throws when every worker model failed. */
  ask(request: WorkerRequest, signal: AbortSignal): Promise<string>;
}

export interface ActionContext {
  workspace: Workspace;
  host: Host;
  worker: WorkerLlm;
  dirs: RunDirs;
  python: string;
  scriptTimeoutSec?: number;
  /** 1-based number of the step being run */
  step: number;
  log: ResearchLogView;
  /** runs scripts as recorded experiments */
  experiments: Pick<ExperimentRecorder, 'run'>;
  /** what the accepted edits put on disk, to tell the planner when a file changes afterwards */
  landed?: LandedEdits;
  signal: AbortSignal;
}

export interface ActionOutcome {
  observation: string;
  /** set by Final Answer: the run ends */
  finalAnswer?: string;
  /** files written for this step, relative to the run folder */
  artifacts?: { diff?: string; output?: string };
}

export interface ActionDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** one or two sentences for the planner's menu */
  description: string;
  /** strict: the key set must match exactly; numbers may arrive as strings */
  input: S;
  /** a description per input key, shown in the menu */
  inputHelp: Record<string, string>;
  /** true when the action calls a worker model */
  usesLlm: boolean;
  run(input: z.infer<S>, ctx: ActionContext): Promise<ActionOutcome>;
}

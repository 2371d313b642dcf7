import { join } from 'node:path';
import type { Steering } from './steering';
import type { Config } from './config';
import { BudgetExhaustedError } from './cost/budget';
import { CascadeFailure } from './llm/cascade';
import { ProviderError } from './llm/types';
import { openRun, providerSecrets, type RunContext } from './run/runContext';
import { Redactor } from './secrets/redactor';
import { scriptEnvironment } from './secrets/scriptEnv';
import { measureBaseline, measureFinal, PreflightError } from './run/scoring';
import { verifyRun } from './run/verification';
import { setUpBenchmark } from './task/setUpBenchmark';
import type { UnverifiedClaim, Verdict } from './experiments/types';
import { runSteps } from './run/stepLoop';
import { writeSummary } from './run/summary';
import type { Recording } from './llm/replay';
import type { Score } from './task/evaluate';
import type { RunEventListener, RunStatus } from './events';
import type { Host } from './host';
import type { Task } from './task/task';

import type { ApiKeys } from './llm/providers';
export type { ApiKeys } from './llm/providers';
export { PreflightError } from './run/scoring';

export interface RunOptions {
  task: Task;
  config: Config;
  host: Host;
  keys: ApiKeys;
  /** the run folder: log.jsonl, summary.json, outputs/, backup/ */
  runDir: string;
  /** continue the run recorded in runDir/log.jsonl */
  resume?: boolean;
  signal: AbortSignal;
  onEvent?: RunEventListener;
  /** answer from a recorded run instead of calling any model API */
  replay?: Recording;
  /** asked before each step: a problem the user wants the expert to plan, spending a lifeline */
  expertRequests?: { take(): string | undefined };
  /** the user's notes for the planner and pauses between steps (src/core/steering.ts) */
  steering?: Steering;
}

export interface RunSummary {
  status: RunStatus;
  message?: string;
  steps: number;
  finalAnswer: string | null;
  baseline: number | null;
  score: number | null;
  improvement: number | null;
  /** true when the verdict is 'improved'; null when the task is not scored */
  success: boolean | null;
  /** script runs recorded in experiments.jsonl */
  experiments: number;
  /** what the measurements say, by the success rule */
  verdict: Verdict;
  /** numbers the run states as results that no experiment measured (empty when all are backed) */
  unverifiedClaims: UnverifiedClaim[];
  cost: { usd: number; byModel: Record<string, number>; byRole: Record<string, number> };
  tokens: { input: number; cachedInput: number; output: number };
  escalations: number;
  lifelinesUsed: number;
  unpricedModels: string[];
  /** true when the model answers came from a recording */
  replay: boolean;
  /** budget warnings, unpriced models, retries: what the user should know */
  warnings: string[];
  runDir: string;
}

/**
 * Runs the agent on a task until a final answer, the step limit, the budget or cancellation:
 * baseline, steps, final score, summary. Errors that end the run end it cleanly with a status.
 */
export async function runAgent(options: RunOptions): Promise<RunSummary> {
  await setUpTask(options);
  const ctx = await openRun(options);
  const resumedFrom = ctx.log.steps().length;
  ctx.log.append(
    resumedFrom > 0 || options.resume
      ? { type: 'resume', fromStep: resumedFrom + 1 }
      : {
          type: 'run',
          runId: ctx.runId,
          goal: options.task.goal,
          workspace: options.task.workspace,
          models: options.config.models,
          budgetUsd: options.config.budgetUsd,
        },
  );
  ctx.emit({
    type: 'run-started',
    runId: ctx.runId,
    runDir: options.runDir,
    goal: options.task.goal,
    budgetUsd: options.config.budgetUsd,
    resumedFromStep: resumedFrom,
    replay: options.replay !== undefined,
  });
  let baseline: Score | null = null;
  let final: Score | null = null;
  let status: RunStatus;
  let message: string | undefined;
  try {
    baseline = await measureBaseline(ctx);
    status = await runSteps(ctx);
  } catch (error) {
    if (error instanceof PreflightError) return failBeforeSpending(ctx, error);
    ({ status, message } = endingOf(error, options.signal));
  }
  if (status !== 'cancelled') final = await measureFinalSafely(ctx);
  const verification = verifyRun(ctx, baseline, final);
  end(ctx, status, message);
  return writeSummary(ctx, { status, message, baseline, final, ...verification });
}

/** An MLAgentBench task is prepared and copied into the workspace, with the scripts' environment of the run. */
async function setUpTask({ task, config, keys, host, runDir, signal }: RunOptions): Promise<void> {
  if (!task.benchmark) return;
  const secrets = providerSecrets(config, keys);
  const env = scriptEnvironment(
    process.env,
    config,
    secrets.map((s) => s.value),
  );
  await setUpBenchmark(task.benchmark, task.workspace, {
    host,
    python: config.python,
    outputsDir: join(runDir, 'outputs'),
    timeoutSec: config.scriptTimeoutSec,
    signal,
    env,
    redactor: new Redactor(secrets),
  });
}

/** The run cannot be scored or run: it ends before any model is asked, and the error goes to the caller. */
function failBeforeSpending(ctx: RunContext, error: PreflightError): never {
  const verification = verifyRun(ctx, null, null);
  end(ctx, 'error', error.message);
  writeSummary(ctx, { status: 'error', message: error.message, baseline: null, final: null, ...verification });
  throw error;
}

function end(ctx: RunContext, status: RunStatus, message: string | undefined): void {
  ctx.log.append({ type: 'end', status, ...(message ? { message } : {}) });
  ctx.emit({ type: 'run-ended', status, ...(message ? { message } : {}) });
}

async function measureFinalSafely(ctx: RunContext): Promise<Score | null> {
  try {
    return await measureFinal(ctx);
  } catch (error) {
    ctx.log.append({ type: 'warning', message: `the final score could not be measured: ${(error as Error).message}` });
    return null;
  }
}

/** How an error ends a run, with a message for the user. */
function endingOf(error: unknown, signal: AbortSignal): { status: RunStatus; message: string } {
  const text = error instanceof Error ? error.message : String(error);
  if (signal.aborted) return { status: 'cancelled', message: typeof signal.reason === 'string' ? signal.reason : 'the run was stopped' };
  if (error instanceof BudgetExhaustedError) return { status: 'budget_exhausted', message: text };
  if (error instanceof ProviderError && error.kind === 'auth')
    return { status: 'error', message: `the provider refused the API key: ${text}` };
  if (error instanceof CascadeFailure) return { status: 'error', message: text };
  return { status: 'error', message: text };
}

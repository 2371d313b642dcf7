import type { ActionContext, ActionDef, ActionOutcome } from '../actions/action';
import { ALL_ACTIONS, findAction } from '../actions/index';
import { requestExpertHelp } from '../agents/expertHelp';
import { expertWorstCase, planByExpert, planStep, type PlannedStep } from '../agents/planner';
import { plannerContexts, type PlannerContexts } from '../agents/plannerContext';
import { BudgetExhaustedError } from '../cost/budget';
import type { RunStatus } from '../events';
import { ProviderError } from '../llm/types';
import { cutObservation } from '../memory/observationView';
import type { StepRecord } from '../memory/types';
import type { RunContext } from './runContext';
import { keepLeftoverNotes, takeUserNotes, userNotes, waitWhilePaused } from './userSteering';

/**
 * How much of an action's observation the research log keeps: the beginning, the line naming the file
 * with the full output, the lines with each metric's last value, and the end.
 */
const LOGGED_OBSERVATION = { maxChars: 5000, headChars: 2000 };

/** Runs steps until a final answer or the step limit; errors that end the run propagate. */
export async function runSteps(ctx: RunContext): Promise<RunStatus> {
  if (ctx.log.steps().some((s) => s.response.action === 'Final Answer')) return 'final_answer';
  try {
    for (ctx.step = ctx.log.steps().length + 1; ctx.step <= ctx.config.maxSteps; ctx.step++) {
      ctx.options.signal.throwIfAborted();
      await waitWhilePaused(ctx);
      if (await runOneStep(ctx)) return 'final_answer';
    }
    ctx.step = ctx.config.maxSteps;
    return 'max_steps';
  } finally {
    // notes sent while the last step ran (or before Stop) are kept for the step a resumed run plans next
    keepLeftoverNotes(ctx);
  }
}

/** Plans, acts and records one step; true when it was the final answer. */
async function runOneStep(ctx: RunContext): Promise<boolean> {
  ctx.emit({ type: 'step-started', step: ctx.step, at: Date.now() });
  const history = ctx.log.steps();
  const notice = await ctx.landed.changes(ctx.workspace, ctx.step);
  takeUserNotes(ctx);
  const notes = userNotes(ctx);
  const contexts = plannerContexts({ goal: ctx.task.goal, steps: history, experiments: ctx.experiments.all(), notes, notice });
  const planned = await plan(ctx, contexts, history);
  const { response } = planned;
  ctx.emit({ type: 'planned', step: ctx.step, model: planned.model, ...response });
  quoteExpert(ctx, contexts);
  const outcome = await act(ctx, response.action, response.actionInput);
  const observation = cutObservation(outcome.observation, LOGGED_OBSERVATION);
  const written = ctx.log.append({
    type: 'step',
    step: ctx.step,
    response,
    observation,
    model: planned.model,
    ...(notice ? { notice } : {}),
    ...(outcome.artifacts ? { artifacts: outcome.artifacts } : {}),
  });
  const at = Date.parse(written.time);
  ctx.emit({ type: 'observation', step: ctx.step, action: response.action, observation, artifacts: outcome.artifacts, at });
  ctx.options.host.log('info', `step ${ctx.step}: ${response.action} ${JSON.stringify(response.actionInput)} (${planned.model})`);
  return outcome.finalAnswer !== undefined;
}

/** After a planner call: what Ask the Expert would cost at most now, while a lifeline is left. */
function quoteExpert(ctx: RunContext, contexts: PlannerContexts): void {
  if (ctx.lifelines.left === 0) return;
  ctx.emit({ type: 'expert-quote', usd: expertWorstCase(ctx.planner, contexts, menuFor(ctx)) });
}

/** The planner's step, or the expert's when the user asked for it and a lifeline is left. */
async function plan(ctx: RunContext, contexts: PlannerContexts, history: readonly StepRecord[]): Promise<PlannedStep> {
  const { signal } = ctx.options;
  const userRequest = ctx.lifelines.left > 0 ? ctx.options.expertRequests?.take() : undefined;
  if (userRequest !== undefined) return planByExpert(ctx.planner, contexts, menuFor(ctx), history, ctx.step, userRequest, signal);
  return planStep(ctx.planner, contexts, menuFor(ctx), history, ctx.step, signal);
}

/** The actions the planner may choose now: the expert lifeline only while one is left. */
function menuFor(ctx: RunContext): ActionDef[] {
  return ctx.lifelines.left > 0 ? [...ALL_ACTIONS, requestExpertHelp] : [...ALL_ACTIONS];
}

/** Runs an action; any failure that does not end the run becomes an observation the planner can act on. */
async function act(ctx: RunContext, name: string, input: Record<string, unknown>): Promise<ActionOutcome> {
  const action = findAction(name);
  if (!action) return { observation: `EnvError: there is no action named ${name}` };
  const actionContext: ActionContext = {
    workspace: ctx.workspace,
    host: ctx.options.host,
    worker: ctx.worker,
    dirs: ctx.dirs,
    python: ctx.config.python,
    scriptTimeoutSec: ctx.config.scriptTimeoutSec,
    step: ctx.step,
    log: ctx.log,
    experiments: ctx.experiments,
    landed: ctx.landed,
    signal: ctx.options.signal,
  };
  try {
    return await action.run(action.input.parse(input), actionContext);
  } catch (error) {
    if (endsTheRun(error, ctx.options.signal)) throw error;
    return { observation: `The action ${name} failed: ${(error as Error).message}` };
  }
}

function endsTheRun(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted || error instanceof BudgetExhaustedError) return true;
  return error instanceof ProviderError && (error.kind === 'auth' || error.kind === 'cancelled');
}

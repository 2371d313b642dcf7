import type { ActionDef } from '../actions/action';
import type { PlannerResponse } from '../format/response';
import { parsePlannerResponse } from '../format/parse';
import { plannerResponseSchema } from '../format/structured';
import { appendNote, askCascade, type CascadeDeps, type ModelQuestion, type Verdict } from '../llm/cascade';
import type { ModelRequest } from '../llm/client';
import type { ChatMessage, ModelRef } from '../llm/types';
import type { StepRecord } from '../memory/types';
import { EXPERT_HELP_ACTION, expertRequestMessage } from './expertHelp';
import type { PlannerContexts } from './plannerContext';

export interface PlannerSetup {
  deps: CascadeDeps;
  chain: readonly ModelRef[];
  listLength: number;
  expert: ModelRef;
  maxOutputTokens: number;
  repeatLimit: number;
}

export interface PlannedStep {
  response: PlannerResponse;
  model: string;
  /** the expert planned this step at the planner's request */
  expertHelped: boolean;
}

/** Temperature for planning, as in the paper. */
const PLANNER_TEMPERATURE = 0.2;

/**
 * Asks the planner cascade for the next step. When the planner spends a lifeline, the expert is
 * asked for the step (with the planner's note) and its answer is the step. The expert, reached by
 * escalation or by a lifeline, gets the compact context and never sees the lifeline action itself.
 */
export async function planStep(
  setup: PlannerSetup,
  contexts: PlannerContexts,
  menu: readonly ActionDef[],
  history: readonly StepRecord[],
  step: number,
  signal: AbortSignal,
): Promise<PlannedStep> {
  const expertMenu = menu.filter((a) => a.name !== EXPERT_HELP_ACTION);
  const question = (model: ModelRef, isLast: boolean): ModelQuestion<PlannerResponse> => {
    const byExpert = model.id === setup.expert.id;
    const theMenu = byExpert ? expertMenu : menu;
    const messages = byExpert ? expertContext(setup, contexts, expertMenu) : contexts.planner(theMenu);
    return { request: request(messages, setup, theMenu), validate: validator(theMenu, history, setup.repeatLimit, isLast) };
  };
  const answer = await askCascade(
    { role: 'planner', chain: setup.chain, listLength: setup.listLength, ask: question, step, purpose: 'plan' },
    setup.deps,
    signal,
  );
  if (answer.value.action !== EXPERT_HELP_ACTION) return { response: answer.value, model: answer.model.id, expertHelped: false };
  const problem = String(answer.value.actionInput.problem);
  return askExpert(setup, expertContext(setup, contexts, expertMenu), expertMenu, history, step, problem, signal);
}

/** The user spent a lifeline: the expert plans this step without the planner being asked. */
export async function planByExpert(
  setup: PlannerSetup,
  contexts: PlannerContexts,
  menu: readonly ActionDef[],
  history: readonly StepRecord[],
  step: number,
  problem: string,
  signal: AbortSignal,
): Promise<PlannedStep> {
  const expertMenu = menu.filter((a) => a.name !== EXPERT_HELP_ACTION);
  return askExpert(setup, expertContext(setup, contexts, expertMenu), expertMenu, history, step, problem, signal);
}

async function askExpert(
  setup: PlannerSetup,
  messages: ChatMessage[],
  expertMenu: readonly ActionDef[],
  history: readonly StepRecord[],
  step: number,
  problem: string,
  signal: AbortSignal,
): Promise<PlannedStep> {
  const { deps } = setup;
  if (!deps.lifelines.spend()) throw new Error('no lifeline is left for the planning expert');
  deps.log.append({ type: 'lifeline', step, used: deps.lifelines.used, reason: `requested: ${problem}` });
  deps.emit({ type: 'lifeline', used: deps.lifelines.used, left: deps.lifelines.left });
  const question: ModelQuestion<PlannerResponse> = {
    request: request(appendNote(messages, expertRequestMessage(problem)), setup, expertMenu),
    validate: validator(expertMenu, history, setup.repeatLimit, true),
  };
  const answer = await askCascade(
    { role: 'planner', chain: [setup.expert], listLength: 1, ask: () => question, step, purpose: 'expert plan' },
    deps,
    signal,
  );
  return { response: answer.value, model: answer.model.id, expertHelped: true };
}

/**
 * The expert's messages: the compact context, unless the expert is the planner's own first model
 * (an expert-only run), which keeps the context it plans every step with.
 */
function expertContext(setup: PlannerSetup, contexts: PlannerContexts, expertMenu: readonly ActionDef[]): ChatMessage[] {
  return setup.chain[0]?.id === setup.expert.id ? contexts.planner(expertMenu) : contexts.expert(expertMenu);
}

/**
 * What asking the expert to plan a step may cost at most now: the budget guard's worst case for the
 * expert's request with its context for the current step.
 */
export function expertWorstCase(setup: PlannerSetup, contexts: PlannerContexts, menu: readonly ActionDef[]): number {
  const expertMenu = menu.filter((a) => a.name !== EXPERT_HELP_ACTION);
  const messages = appendNote(expertContext(setup, contexts, expertMenu), expertRequestMessage(''));
  return setup.deps.client.worstCase(setup.expert, request(messages, setup, expertMenu));
}

/**
 * The planner's request. In the "json" response mode it asks for the six entries as one JSON
 * object whose action is one of `menu`'s (the client sends it as text to a provider that refused
 * the schema once).
 */
function request(messages: ChatMessage[], setup: PlannerSetup, menu: readonly ActionDef[]): ModelRequest {
  const structured = setup.deps.client.responseMode === 'json' ? { structured: plannerResponseSchema(menu) } : {};
  return { messages, maxOutputTokens: setup.maxOutputTokens, temperature: PLANNER_TEMPERATURE, ...structured };
}

/**
 * Checks a planner answer. A repeated action escalates to the next model; the last model of the
 * chain may repeat (with a warning in the log) rather than end the run.
 */
function validator(menu: readonly ActionDef[], history: readonly StepRecord[], repeatLimit: number, isLast: boolean) {
  return async (text: string): Promise<Verdict<PlannerResponse>> => {
    const parsed = parsePlannerResponse(text, menu);
    if (!parsed.ok) return { ok: false, error: parsed.error, reason: 'format' };
    // a near-miss of the format read by local repair: no retry is charged, the repair is logged
    const repaired = parsed.repairs.length ? `the planner's answer was repaired: ${parsed.repairs.join('; ')}` : undefined;
    if (repeatsRecentSteps(parsed.value, history, repeatLimit)) {
      const error = `You chose ${parsed.value.action} with the same input as in each of the last ${repeatLimit} steps. Choose a different action or input.`;
      const repeated = `the last planner model repeated ${parsed.value.action} a ${repeatLimit + 1}th time; the step runs anyway`;
      if (isLast) return { ok: true, value: parsed.value, warning: [repaired, repeated].filter(Boolean).join('; ') };
      return { ok: false, error, reason: 'repeat', escalateNow: true };
    }
    return { ok: true, value: parsed.value, ...(repaired ? { warning: repaired } : {}) };
  };
}

/** True when the last `limit` steps all chose this very action with this very input. */
function repeatsRecentSteps(response: PlannerResponse, history: readonly StepRecord[], limit: number): boolean {
  if (history.length < limit) return false;
  const key = actionKey(response);
  return history.slice(-limit).every((s) => actionKey(s.response) === key);
}

function actionKey(response: PlannerResponse): string {
  const input = Object.keys(response.actionInput)
    .sort()
    .map((k) => [k, response.actionInput[k]]);
  return `${response.action.toLowerCase()}|${JSON.stringify(input)}`;
}

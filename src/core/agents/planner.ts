import type { ActionDef } from '../actions/action';
import type { PlannerResponse } from '../format/response';
import { parsePlannerResponse } from '../format/parse';
import { askCascade, type CascadeDeps, type Verdict } from '../llm/cascade';
import type { ChatMessage, ModelRef } from '../llm/types';
import type { StepRecord } from '../memory/types';
import { EXPERT_HELP_ACTION, expertRequestMessage } from './expertHelp';

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
 * asked the same question (with the planner's note) and its answer is the step.
 */
export async function planStep(
  setup: PlannerSetup,
  build: (menu: readonly ActionDef[]) => ChatMessage[],
  menu: readonly ActionDef[],
  history: readonly StepRecord[],
  step: number,
  signal: AbortSignal,
): Promise<PlannedStep> {
  const messages = build(menu);
  const answer = await askCascade(
    { role: 'planner', chain: setup.chain, listLength: setup.listLength, request: request(messages, setup), validate: validator(menu, history, setup.repeatLimit), step, purpose: 'plan' },
    setup.deps,
    signal,
  );
  if (answer.value.action !== EXPERT_HELP_ACTION) return { response: answer.value, model: answer.model.id, expertHelped: false };
  return askExpert(setup, build, menu, history, step, String(answer.value.actionInput.problem), signal);
}

async function askExpert(
  setup: PlannerSetup,
  build: (menu: readonly ActionDef[]) => ChatMessage[],
  menu: readonly ActionDef[],
  history: readonly StepRecord[],
  step: number,
  problem: string,
  signal: AbortSignal,
): Promise<PlannedStep> {
  const { deps } = setup;
  if (!deps.lifelines.spend()) throw new Error('no lifeline is left for the planning expert');
  deps.log.append({ type: 'lifeline', step, used: deps.lifelines.used, reason: `requested: ${problem}` });
  deps.emit({ type: 'lifeline', used: deps.lifelines.used, left: deps.lifelines.left });
  const expertMenu = menu.filter((a) => a.name !== EXPERT_HELP_ACTION);
  const messages = withNote(build(expertMenu), expertRequestMessage(problem));
  const answer = await askCascade(
    { role: 'planner', chain: [setup.expert], listLength: 1, request: request(messages, setup), validate: validator(expertMenu, history, setup.repeatLimit), step, purpose: 'expert plan' },
    deps,
    signal,
  );
  return { response: answer.value, model: answer.model.id, expertHelped: true };
}

function request(messages: ChatMessage[], setup: PlannerSetup) {
  return { messages, maxOutputTokens: setup.maxOutputTokens, temperature: PLANNER_TEMPERATURE };
}

/** Appends a note to the last user message (keeps the user/assistant alternation). */
function withNote(messages: ChatMessage[], note: string): ChatMessage[] {
  const last = messages[messages.length - 1];
  return [...messages.slice(0, -1), { ...last, content: `${last.content}\n\n${note}` }];
}

function validator(menu: readonly ActionDef[], history: readonly StepRecord[], repeatLimit: number) {
  return async (text: string): Promise<Verdict<PlannerResponse>> => {
    const parsed = parsePlannerResponse(text, menu);
    if (!parsed.ok) return { ok: false, error: parsed.error, reason: 'format' };
    if (repeatsRecentSteps(parsed.value, history, repeatLimit)) {
      const error = `You chose ${parsed.value.action} with the same input as in each of the last ${repeatLimit} steps. Choose a different action or input.`;
      return { ok: false, error, reason: 'repeat', escalateNow: true };
    }
    return parsed;
  };
}

/** True when the last `limit` steps all chose this very action with this very input. */
export function repeatsRecentSteps(response: PlannerResponse, history: readonly StepRecord[], limit: number): boolean {
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

import type { Ledger } from '../cost/ledger';
import type { RunEventListener } from '../events';
import type { ResearchLog } from '../memory/researchLog';
import type { CallContext, ModelClient, ModelRequest } from './client';
import type { Lifelines } from './lifelines';
import { ProviderError, type ChatMessage, type ModelRef } from './types';

export type EscalationReason = 'format' | 'repeat' | 'verification' | 'provider';

export type Verdict<T> =
  | { ok: true; value: T; warning?: string }
  /** `escalateNow`: no point asking the same model again; the error goes to the next model as a note */
  | { ok: false; error: string; reason: EscalationReason; escalateNow?: boolean };

/** What one model of the chain is asked, and how its reply is checked. */
export interface ModelQuestion<T> {
  request: ModelRequest;
  validate: (text: string) => Promise<Verdict<T>>;
}

export interface CascadeRequest<T> {
  role: 'planner' | 'worker';
  /** cheapest first; the expert model may close the chain */
  chain: readonly ModelRef[];
  /** how many models of the chain are the configured list (the rest is the expert) */
  listLength: number;
  /** the question for a model; `isLast`: no model comes after it */
  ask: (model: ModelRef, isLast: boolean) => ModelQuestion<T>;
  step: number;
  purpose: string;
}

export interface CascadeDeps {
  client: ModelClient;
  ledger: Ledger;
  lifelines: Lifelines;
  log: ResearchLog;
  emit: RunEventListener;
  expertId: string;
  maxFormatRetries: number;
}

export interface CascadeAnswer<T> {
  value: T;
  model: ModelRef;
  escalations: number;
}

/** Every model of the chain failed; the message says why, for the planner or the user. */
export class CascadeFailure extends Error {
  override name = 'CascadeFailure';
}

interface PendingEscalation {
  from: string;
  to: string;
  reason: string;
  spentBefore: number;
}

/**
 * Asks the cheapest model first and escalates to the next one when it keeps breaking the format,
 * repeats itself, fails verification or its provider keeps failing. Escalating into the expert
 * model spends a lifeline; without one the chain ends there.
 */
export async function askCascade<T>(req: CascadeRequest<T>, deps: CascadeDeps, signal: AbortSignal): Promise<CascadeAnswer<T>> {
  const escalations: PendingEscalation[] = [];
  const asked: string[] = [];
  let lastProblem = 'no model was asked';
  let note: string | undefined;
  try {
    for (let index = 0; index < req.chain.length; index++) {
      const model = req.chain[index];
      if (index > 0 && !enterModel(model, escalations, lastProblem, req, deps)) {
        lastProblem += `; ${model.id} was not asked: no lifeline is left`;
        break;
      }
      asked.push(model.id);
      const question = req.ask(model, index === req.chain.length - 1);
      const request = note ? { ...question.request, messages: appendNote(question.request.messages, note) } : question.request;
      const outcome = await tryModel(
        model,
        isLastResort(index, req) ? 1 : deps.maxFormatRetries,
        { ...question, request },
        req,
        deps,
        signal,
      );
      if (outcome.ok) {
        if (outcome.warning) deps.log.append({ type: 'warning', message: outcome.warning });
        return { value: outcome.value, model, escalations: escalations.length };
      }
      lastProblem = `${outcome.reason}: ${outcome.error}`;
      note = outcome.escalateNow ? outcome.error : undefined;
    }
  } finally {
    recordEscalations(escalations, req, deps);
  }
  throw new CascadeFailure(`every ${req.role} model asked failed (${asked.join(' → ')}); the last problem was ${lastProblem}`);
}

/** Appends a note to the last user message (keeps the user/assistant alternation). */
export function appendNote(messages: readonly ChatMessage[], note: string): ChatMessage[] {
  const last = messages[messages.length - 1];
  return [...messages.slice(0, -1), { ...last, content: `${last.content}\n\n${note}` }];
}

/**
 * The expensive end of the chain gets one attempt (the paper's m = 1 for GPT-4): the expert, and the
 * last model of a list that has cheaper ones before it.
 */
function isLastResort(index: number, req: CascadeRequest<unknown>): boolean {
  return index === req.chain.length - 1 || (req.listLength > 1 && index === req.listLength - 1);
}

function enterModel(
  model: ModelRef,
  escalations: PendingEscalation[],
  problem: string,
  req: CascadeRequest<unknown>,
  deps: CascadeDeps,
): boolean {
  if (model.id === deps.expertId && !deps.lifelines.spend()) {
    deps.log.append({ type: 'warning', message: `no lifeline left to escalate to ${model.id}` });
    return false;
  }
  if (model.id === deps.expertId) {
    deps.log.append({ type: 'lifeline', step: req.step, used: deps.lifelines.used, reason: `escalation: ${problem}` });
    deps.emit({ type: 'lifeline', used: deps.lifelines.used, left: deps.lifelines.left });
  }
  const from = req.chain[req.chain.indexOf(model) - 1].id;
  escalations.push({ from, to: model.id, reason: problem, spentBefore: deps.ledger.totalUsd });
  return true;
}

async function tryModel<T>(
  model: ModelRef,
  attempts: number,
  question: ModelQuestion<T>,
  req: CascadeRequest<T>,
  deps: CascadeDeps,
  signal: AbortSignal,
): Promise<Verdict<T>> {
  const context: CallContext = { step: req.step, role: model.id === deps.expertId ? 'expert' : req.role, purpose: req.purpose };
  let messages: ChatMessage[] = question.request.messages;
  let verdict: Verdict<T> = { ok: false, error: 'not asked', reason: 'format' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let text: string;
    try {
      text = (await deps.client.complete(model, { ...question.request, messages }, context, signal)).text;
    } catch (error) {
      if (error instanceof ProviderError && (error.retryable || error.kind === 'bad_request'))
        return { ok: false, error: error.message, reason: 'provider' };
      throw error;
    }
    verdict = await question.validate(text);
    if (verdict.ok || verdict.escalateNow) return verdict;
    messages = [...question.request.messages, { role: 'assistant', content: text }, { role: 'user', content: verdict.error }];
  }
  return verdict;
}

/** Writes each escalation with the cost spent after it (until the next one or the end of the call). */
function recordEscalations(escalations: PendingEscalation[], req: CascadeRequest<unknown>, deps: CascadeDeps): void {
  escalations.forEach((e, i) => {
    const until = i + 1 < escalations.length ? escalations[i + 1].spentBefore : deps.ledger.totalUsd;
    const addedUsd = until - e.spentBefore;
    deps.log.append({ type: 'escalation', step: req.step, role: req.role, from: e.from, to: e.to, reason: e.reason, addedUsd });
    deps.emit({ type: 'escalation', role: req.role, from: e.from, to: e.to, reason: e.reason, addedUsd });
  });
}

/** The chain for a role: its list, then the expert unless the list already ends with it. */
export function chainFor(list: readonly ModelRef[], expert: ModelRef): ModelRef[] {
  const chain = list.filter((m, i) => list.findIndex((o) => o.id === m.id) === i);
  if (chain[chain.length - 1]?.id !== expert.id) chain.push(expert);
  return chain;
}

import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { BudgetExhaustedError, type BudgetGuard } from '../cost/budget';
import type { CallStart, Ledger } from '../cost/ledger';
import { callCost, priceFor, worstCaseCost } from '../cost/prices';
import type { RunEventListener } from '../events';
import type { CallRecord, ResearchLog } from '../memory/researchLog';
import { promptTokens } from './tokens';
import { replyProgress } from './replyProgress';
import type { ProviderPool } from './providers';
import { withRetry } from './retry';
import {
  ProviderError,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type ModelRef,
  type ProviderName,
  type ResponseSchema,
  type Role,
  type Usage,
} from './types';
import { BUDGET_WARNING_RATIO, formatUsd } from '../../shared/money';

export interface CallContext {
  step: number;
  role: Role;
  purpose: string;
}

export interface ModelRequest {
  messages: ChatMessage[];
  maxOutputTokens: number;
  temperature: number;
  /** ask for the reply as a JSON object of this schema (the planner's structured mode) */
  structured?: StructuredReply;
}

/** A reply asked for as JSON: the schema, and what the prompt says about it while it is sent. */
export interface StructuredReply extends ResponseSchema {
  /** appended to the system prompt (a constant text: the prompt's prefix stays cacheable) */
  instructions: string;
}

/**
 * The fewest output tokens worth asking for when the budget cannot pay for a request's whole
 * limit: below this the reply would be cut before the six entries are written, so the call is
 * refused instead.
 */
export const MIN_USEFUL_OUTPUT_TOKENS = 256;

export interface ClientDeps {
  config: Config;
  providers: ProviderPool;
  ledger: Ledger;
  budget: BudgetGuard;
  log: ResearchLog;
  emit: RunEventListener;
  /** applied to every message before it is sent (RunContext.redactor.text: no key reaches a prompt) */
  redact?: (text: string) => string;
  /**
   * Told, before every request is sent, what it may cost at worst; the `call` record that ends it
   * carries the same `callId`. Wired to the log, a run killed mid-request still counts that
   * request when it resumes (Ledger.fromLog).
   */
  onCallStarted?: (start: CallStart) => void;
  /** sent with every request of the run (the run id): providers keep its prompts in one cache */
  cacheKey?: string;
  /** for tests: how retries wait */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const SPEND_EVENT_INTERVAL_MS = 200;

/** One attempt of a call, as its log records name it. */
interface AttemptRef {
  model: ModelRef;
  context: CallContext;
  attempt: number;
  /** links the call record to the call-started record written before the request */
  callId: string;
  /** the prompt as the budget counted it: usage the client had to estimate is never booked above it */
  promptTokens: number;
}

/** A request on its way: as sent (redacted, with the structured instructions), and what else the prompt carries. */
interface Outgoing {
  request: ModelRequest;
  schema?: ResponseSchema;
  /** the schema's text, counted as prompt (providers add it to the prompt their own way) */
  extraPrompt: string;
  promptTokens: number;
}

/**
 * Sends model requests on the user's money: checks the budget before every attempt, retries what
 * may pass, and books every token it was charged, failed and cancelled streams included.
 */
export class ModelClient {
  private readonly warnedUnpriced = new Set<string>();
  /** providers that answered a JSON response schema with a 400: they get text requests from then on */
  private readonly refusedStructured = new Set<ProviderName>();

  constructor(private readonly deps: ClientDeps) {}

  async complete(model: ModelRef, request: ModelRequest, context: CallContext, signal: AbortSignal): Promise<ChatResult> {
    const structured = request.structured && !this.refusedStructured.has(model.provider) ? request.structured : undefined;
    try {
      return await this.send(model, this.outgoing(model, request, structured), context, signal);
    } catch (error) {
      if (!structured || !refusesStructuredOutput(error)) throw error;
      this.refusedStructured.add(model.provider);
      this.deps.log.append({
        type: 'warning',
        message: `${model.provider} refused the JSON response schema (${(error as Error).message}): its models answer in text for the rest of the run`,
      });
      return this.send(model, this.outgoing(model, request, undefined), context, signal);
    }
  }

  /** The configured answer format of the planner: the client falls back to text where a provider refuses JSON. */
  get responseMode(): Config['responseMode'] {
    return this.deps.config.responseMode;
  }

  private async send(model: ModelRef, out: Outgoing, context: CallContext, signal: AbortSignal): Promise<ChatResult> {
    const provider = await this.deps.providers.get(model.provider);
    this.warnIfUnpriced(model.id);
    const idleTimeoutMs = this.deps.config.requestIdleTimeoutSec * 1000;
    // the attempt under way: a failure's call record names the call-started record it ends
    let callId = '';
    const attemptRef = (attempt: number): AttemptRef => ({ model, context, attempt, callId, promptTokens: out.promptTokens });
    return withRetry(
      async (attempt) => {
        const sent = this.fitToBudget(model, out, context.role);
        callId = this.reportStarted(model, sent, out.promptTokens, context, attempt);
        const started = Date.now();
        const call = linkedController(signal);
        const onDelta = this.deltaReporter(model, sent, context, callId);
        const result = await provider
          .complete(this.chatRequest(model, sent, out.schema), { signal: call.signal, onDelta: onDelta.add, idleTimeoutMs })
          .catch((error: unknown) => {
            // not a ProviderError (it is booked by onFailure): close the started record all the same
            if (!(error instanceof ProviderError)) this.logFailure(model, context, attempt, callId, error);
            throw error;
          })
          .finally(() => (call.dispose(), onDelta.stop()));
        this.book(attemptRef(attempt), result.usage, result.latencyMs || Date.now() - started);
        if (result.overran) this.warnOverrun(model, sent, result);
        return result;
      },
      {
        signal,
        sleep: this.deps.sleep,
        onFailure: (error, attempt, willRetry, delayMs) => {
          if (error.partial) this.book(attemptRef(attempt), error.partial.usage, 0, error.message);
          else this.logFailure(model, context, attempt, callId, error);
          if (willRetry)
            this.deps.log.append({ type: 'warning', message: `${model.id}: ${error.message}; retrying in ${Math.round(delayMs)} ms` });
        },
      },
    );
  }

  /** The request as it goes out: redacted, and with the structured instructions while a schema is sent. */
  private outgoing(model: ModelRef, request: ModelRequest, structured: StructuredReply | undefined): Outgoing {
    const plain: ModelRequest = { messages: request.messages, maxOutputTokens: request.maxOutputTokens, temperature: request.temperature };
    const withInstructions = structured ? { ...plain, messages: appendToSystem(plain.messages, structured.instructions) } : plain;
    const sent = this.redacted(withInstructions);
    const schema = structured ? { name: structured.name, schema: structured.schema } : undefined;
    const extraPrompt = schema ? JSON.stringify(schema.schema) : '';
    return { request: sent, schema, extraPrompt, promptTokens: promptTokens(model, sent.messages, extraPrompt) };
  }

  private chatRequest(model: ModelRef, request: ModelRequest, schema: ResponseSchema | undefined): ChatRequest {
    return {
      model: model.model,
      messages: request.messages,
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature,
      ...(schema ? { responseSchema: schema } : {}),
      ...(this.deps.cacheKey ? { cacheKey: this.deps.cacheKey } : {}),
    };
  }

  /** Worst case of a request: its prompt (counted as an upper bound) plus all the output it may produce. */
  worstCase(model: ModelRef, request: ModelRequest): number {
    const structured = request.structured && !this.refusedStructured.has(model.provider) ? request.structured : undefined;
    const out = this.outgoing(model, request, structured);
    return worstCaseCost(priceFor(model.id, this.deps.config.prices), out.promptTokens, request.maxOutputTokens);
  }

  /**
   * The request as the budget lets it go: unchanged when its worst case fits; with its output
   * limit lowered to what the money left pays for when that is still a useful answer; refused
   * (BudgetExhaustedError, naming the full worst case) below that.
   */
  private fitToBudget(model: ModelRef, out: Outgoing, role: Role): ModelRequest {
    const { request } = out;
    const price = priceFor(model.id, this.deps.config.prices);
    const worstCase = (outputTokens: number) => worstCaseCost(price, out.promptTokens, outputTokens);
    const affordable = this.deps.budget.affordableOutput(worstCase, request.maxOutputTokens);
    if (affordable === request.maxOutputTokens) return request;
    if (affordable < Math.min(MIN_USEFUL_OUTPUT_TOKENS, request.maxOutputTokens)) {
      const verdict = this.deps.budget.check(worstCase(request.maxOutputTokens), `${role} call`);
      throw new BudgetExhaustedError(verdict.ok ? 'Budget reached.' : verdict.message);
    }
    this.deps.log.append({
      type: 'warning',
      message:
        `${formatUsd(this.deps.budget.remainingUsd)} of the budget is left: this ${role} call to ${model.id} may write ` +
        `${affordable} output tokens instead of ${request.maxOutputTokens}`,
    });
    return { ...request, maxOutputTokens: affordable };
  }

  /** The request as it is sent: every message through the redactor. */
  private redacted(request: ModelRequest): ModelRequest {
    const redact = this.deps.redact;
    if (!redact) return request;
    return { ...request, messages: request.messages.map((message) => ({ ...message, content: redact(message.content) })) };
  }

  /** Reports, before a request is sent, what it may cost at worst (see ClientDeps.onCallStarted). */
  private reportStarted(model: ModelRef, request: ModelRequest, promptTokens: number, context: CallContext, attempt: number): string {
    const callId = randomUUID();
    const price = priceFor(model.id, this.deps.config.prices);
    const worstCaseUsd = worstCaseCost(price, promptTokens, request.maxOutputTokens);
    this.deps.onCallStarted?.({
      callId,
      step: context.step,
      role: context.role,
      model: model.id,
      purpose: context.purpose,
      attempt,
      promptTokens,
      maxOutputTokens: request.maxOutputTokens,
      worstCaseUsd,
      priced: price !== undefined,
    });
    return callId;
  }

  private book(at: AttemptRef, reported: Usage, latencyMs: number, error?: string): void {
    const { model, context } = at;
    // an estimate of a stream that reported nothing: the prompt as counted for the budget is the better figure
    const usage = reported.estimated ? { ...reported, input: Math.min(reported.input, at.promptTokens) } : reported;
    const price = priceFor(model.id, this.deps.config.prices);
    const usd = callCost(price, usage);
    this.deps.ledger.record({ role: context.role, model: model.id, usage, usd, priced: price !== undefined });
    this.recordCall(at, { usage, usd, priced: price !== undefined, latencyMs, ...(error ? { error } : {}) });
    this.emitSpend(false);
    if (this.deps.budget.warningDue()) {
      const budgetUsd = this.deps.config.budgetUsd;
      this.deps.log.append({
        type: 'warning',
        message: `${BUDGET_WARNING_RATIO * 100} % of the budget is spent: ${formatUsd(this.deps.ledger.totalUsd)} of ${formatUsd(budgetUsd)}`,
      });
      this.deps.emit({ type: 'budget-warning', usd: this.deps.ledger.totalUsd, budgetUsd });
    }
  }

  private logFailure(model: ModelRef, context: CallContext, attempt: number, callId: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const usage = { input: 0, cachedInput: 0, output: 0 };
    this.recordCall({ model, context, attempt, callId }, { usage, usd: 0, priced: true, latencyMs: 0, error: message });
  }

  /** The call record of one attempt: who asked, which model, and what it cost. */
  private recordCall(
    at: Pick<AttemptRef, 'model' | 'context' | 'attempt' | 'callId'>,
    cost: Pick<CallRecord, 'usage' | 'usd' | 'priced' | 'latencyMs' | 'error'>,
  ): void {
    const { model, context, attempt, callId } = at;
    this.logCall({
      type: 'call',
      callId,
      step: context.step,
      role: context.role,
      model: model.id,
      purpose: context.purpose,
      attempt,
      ...cost,
    });
  }

  /** A call record carrying the id of its call-started record (read back by Ledger.fromLog). */
  private logCall(record: Omit<CallRecord, 'time'> & { callId: string }): void {
    this.deps.log.append(record);
  }

  private warnOverrun(model: ModelRef, request: ModelRequest, result: ChatResult): void {
    const message = `${model.id} sent more than the ${request.maxOutputTokens} tokens asked for: the reply was cut at ${result.text.length} characters and its stream cancelled`;
    this.deps.log.append({ type: 'warning', message });
  }

  /** What a streamed piece of a reply is told to: the spend meter and the reply's text so far. */
  private deltaReporter(model: ModelRef, request: ModelRequest, context: CallContext, callId: string) {
    const spend = this.spendReporter(model, request);
    const progress = replyProgress({ callId, role: context.role, model: model.id }, this.deps.emit, this.deps.redact);
    return {
      add: (piece: string) => (spend(piece), progress.add(piece)),
      stop: progress.stop,
    };
  }

  /**
   * While a reply streams in, reports the spend including a typical-size estimate of the reply so far
   * (four characters a token; the budget check uses the pessimistic estimate instead).
   */
  private spendReporter(model: ModelRef, request: ModelRequest): (text: string) => void {
    const price = priceFor(model.id, this.deps.config.prices);
    const promptTokens = typicalTokens(request.messages.reduce((n, m) => n + m.content.length, 0));
    let received = '';
    let lastEmit = 0;
    return (text) => {
      received += text;
      const now = Date.now();
      if (now - lastEmit < SPEND_EVENT_INTERVAL_MS) return;
      lastEmit = now;
      const sofar = callCost(price, { input: promptTokens, cachedInput: 0, output: typicalTokens(received.length) });
      this.deps.emit({ type: 'spend', usd: this.deps.ledger.totalUsd + sofar, budgetUsd: this.deps.config.budgetUsd, streaming: true });
    };
  }

  private emitSpend(streaming: boolean): void {
    this.deps.emit({ type: 'spend', usd: this.deps.ledger.totalUsd, budgetUsd: this.deps.config.budgetUsd, streaming });
  }

  private warnIfUnpriced(modelId: string): void {
    if (this.warnedUnpriced.has(modelId) || priceFor(modelId, this.deps.config.prices)) return;
    this.warnedUnpriced.add(modelId);
    this.deps.log.append({
      type: 'warning',
      message: `no price is known for ${modelId}: its calls are counted at $0; add it to "prices" in the config`,
    });
  }
}

/** The structured instructions go at the end of the system prompt (a new system message when there is none). */
function appendToSystem(messages: readonly ChatMessage[], text: string): ChatMessage[] {
  const index = messages.map((message) => message.role).lastIndexOf('system');
  if (index < 0) return [{ role: 'system', content: text }, ...messages];
  return messages.map((message, i) => (i === index ? { ...message, content: `${message.content}\n\n${text}` } : message));
}

/** A 400 that names the response schema: the server (or its model) does not do structured output. */
function refusesStructuredOutput(error: unknown): boolean {
  return (
    error instanceof ProviderError &&
    error.kind === 'bad_request' &&
    /response_?format|json_?schema|response_?schema|response_?mime_?type|structured output/i.test(error.message)
  );
}

function typicalTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/**
 * A signal for one request that follows the run's signal. The SDKs attach listeners to the signal
 * they are given; a per-request signal keeps those from piling up on the run's.
 */
function linkedController(parent: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const forward = () => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward, { once: true });
  return { signal: controller.signal, dispose: () => parent.removeEventListener('abort', forward) };
}

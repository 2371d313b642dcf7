import type { Price } from '../config';
import type { Role, Usage } from '../llm/types';
import { callCost, priceFor } from './prices';

/** One model call as the ledger records it (and as the research log stores it, for resuming). */
export interface LedgerCall {
  role: Role;
  /** `provider:model` */
  model: string;
  usage: Usage;
  usd: number;
  /** false when no price was known for the model: `usd` is 0 */
  priced: boolean;
}

export interface TokenTotals {
  input: number;
  cachedInput: number;
  output: number;
}

/** The cost part of summary.json. */
export interface LedgerSummary {
  usd: number;
  byModel: Record<string, number>;
  byRole: Record<string, number>;
}

/**
 * What the log keeps of a call before its request is sent (a `call-started` record): its worst
 * case. The `call` record written when it ends carries the same `callId`.
 */
export interface CallStart {
  callId: string;
  step: number;
  role: Role;
  /** `provider:model` */
  model: string;
  purpose: string;
  attempt: number;
  /** the prompt, estimated pessimistically */
  promptTokens: number;
  maxOutputTokens: number;
  worstCaseUsd: number;
  priced: boolean;
}

/** A log record as Ledger.fromLog reads it: `call` and `call-started` records count, the rest is skipped. */
export type LedgerLogRecord = { readonly type: string };

type LoggedCall = LedgerCall & { type: 'call'; callId?: string };
type LoggedStart = CallStart & { type: 'call-started' };

/** Prices a call with the user's overrides and the built-in table. */
export function costedCall(role: Role, model: string, usage: Usage, overrides: Record<string, Price>): LedgerCall {
  const price = priceFor(model, overrides);
  return { role, model, usage, usd: callCost(price, usage), priced: price !== undefined };
}

/** Every model call of a run, with running totals. */
export class Ledger {
  private readonly _calls: LedgerCall[] = [];
  private _totalUsd = 0;
  private readonly _byModel: Record<string, number> = {};
  private readonly _byRole: Record<string, number> = {};
  private readonly _tokens: TokenTotals = { input: 0, cachedInput: 0, output: 0 };
  private readonly _unpriced = new Set<string>();

  /** Rebuilds the ledger of a run from its recorded calls (to resume it). */
  static fromCalls(calls: Iterable<LedgerCall>): Ledger {
    const ledger = new Ledger();
    for (const call of calls) ledger.record(call);
    return ledger;
  }

  /**
   * Rebuilds the ledger of a run from its log (to resume it): every `call` record, plus every call
   * that started and never ended (the process was killed mid-request) at its worst case.
   */
  static fromLog(records: Iterable<LedgerLogRecord>): Ledger {
    const ledger = new Ledger();
    const open = new Map<string, LoggedStart>();
    for (const record of records) {
      if (record.type === 'call-started') {
        const start = record as LoggedStart;
        open.set(start.callId, start);
      } else if (record.type === 'call') {
        const call = record as LoggedCall;
        if (call.callId !== undefined) open.delete(call.callId);
        ledger.record({ role: call.role, model: call.model, usage: call.usage, usd: call.usd, priced: call.priced });
      }
    }
    for (const start of open.values()) ledger.record(worstCaseCall(start));
    return ledger;
  }

  record(call: LedgerCall): void {
    const entry: LedgerCall = { ...call, usage: { ...call.usage } };
    this._calls.push(entry);
    this._totalUsd += entry.usd;
    this._byModel[entry.model] = (this._byModel[entry.model] ?? 0) + entry.usd;
    this._byRole[entry.role] = (this._byRole[entry.role] ?? 0) + entry.usd;
    this._tokens.input += entry.usage.input;
    this._tokens.cachedInput += entry.usage.cachedInput;
    this._tokens.output += entry.usage.output;
    if (!entry.priced) this._unpriced.add(entry.model);
  }

  get calls(): readonly LedgerCall[] {
    return this._calls;
  }

  get totalUsd(): number {
    return this._totalUsd;
  }

  get byModel(): Record<string, number> {
    return { ...this._byModel };
  }

  get byRole(): Record<string, number> {
    return { ...this._byRole };
  }

  get tokens(): TokenTotals {
    return { ...this._tokens };
  }

  /** models that were called but have no price, in the order they first appeared */
  get unpricedModels(): string[] {
    return [...this._unpriced];
  }

  toJSON(): LedgerSummary {
    return { usd: this._totalUsd, byModel: this.byModel, byRole: this.byRole };
  }
}

/** A call whose end was never logged, counted as if its whole worst case was billed. */
function worstCaseCall(start: CallStart): LedgerCall {
  const usage = { input: start.promptTokens, cachedInput: 0, output: start.maxOutputTokens, estimated: true };
  return { role: start.role, model: start.model, usage, usd: start.worstCaseUsd, priced: start.priced };
}

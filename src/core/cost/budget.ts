import type { Ledger } from './ledger';

/** Share of the budget at which the user is warned once. */
export const WARNING_FRACTION = 0.8;

/** Slack for float sums, far below a cent: a call that fits exactly is allowed. */
const EPSILON_USD = 1e-12;

export type BudgetCheck = { ok: true } | { ok: false; message: string };

/** Thrown when the next call could take spending over the budget. */
export class BudgetExhaustedError extends Error {
  override name = 'BudgetExhaustedError';
}

/** Dollars for messages: cents from $1, four decimals below, three significant figures under a cent. */
export function formatUsd(usd: number): string {
  const size = Math.abs(usd);
  if (size === 0) return '$0.00';
  if (size >= 1) return `$${usd.toFixed(2)}`;
  if (size >= 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toPrecision(3)}`;
}

/** Refuses a model call before it is sent when its worst case would exceed the budget. */
export class BudgetGuard {
  private warned = false;

  constructor(
    readonly budgetUsd: number,
    private readonly ledger: Ledger,
  ) {}

  get spentUsd(): number {
    return this.ledger.totalUsd;
  }

  get remainingUsd(): number {
    return Math.max(0, this.budgetUsd - this.spentUsd);
  }

  get fractionSpent(): number {
    return this.budgetUsd > 0 ? this.spentUsd / this.budgetUsd : 1;
  }

  /** Allowed while spent + worst case ≤ budget. */
  check(worstCaseUsd: number): BudgetCheck {
    const spent = this.spentUsd;
    if (spent + worstCaseUsd <= this.budgetUsd + EPSILON_USD) return { ok: true };
    return {
      ok: false,
      message:
        `Budget reached: ${formatUsd(spent)} spent of the ${formatUsd(this.budgetUsd)} budget; ` +
        `the next call could have cost up to ${formatUsd(worstCaseUsd)}.`,
    };
  }

  /** Like check, but throws BudgetExhaustedError when the call is refused. */
  ensure(worstCaseUsd: number): void {
    const result = this.check(worstCaseUsd);
    if (!result.ok) throw new BudgetExhaustedError(result.message);
  }

  /** True exactly once: the first time it is asked after spending reached 80 % of the budget. */
  warningDue(): boolean {
    if (this.warned || this.spentUsd + EPSILON_USD < WARNING_FRACTION * this.budgetUsd) return false;
    this.warned = true;
    return true;
  }
}

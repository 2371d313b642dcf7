import { BUDGET_WARNING_RATIO, formatUsd } from '../../shared/money';
import type { Ledger } from './ledger';

/** Slack for float sums, far below a cent: a call that fits exactly is allowed. */
const EPSILON_USD = 1e-12;

export type BudgetCheck = { ok: true } | { ok: false; message: string };

/** Thrown when the next call could take spending over the budget. */
export class BudgetExhaustedError extends Error {
  override name = 'BudgetExhaustedError';
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

  /**
   * Allowed while spent + worst case ≤ budget. `what` names the call for the refusal, e.g. "planner call":
   * "the next planner call may cost up to $X; $Y is left".
   */
  check(worstCaseUsd: number, what = 'call'): BudgetCheck {
    const spent = this.spentUsd;
    if (spent + worstCaseUsd <= this.budgetUsd + EPSILON_USD) return { ok: true };
    return {
      ok: false,
      message:
        `Budget reached: the next ${what} may cost up to ${formatUsd(worstCaseUsd)}; ${formatUsd(this.remainingUsd)} is left ` +
        `(${formatUsd(spent)} spent of the ${formatUsd(this.budgetUsd)} budget).`,
    };
  }

  /**
   * The most output tokens, up to `wanted`, that a call may ask for and stay within the budget,
   * `worstCaseUsd(n)` being its worst case with n output tokens (it grows with n). -1 when not even
   * the prompt alone fits.
   */
  affordableOutput(worstCaseUsd: (outputTokens: number) => number, wanted: number): number {
    const fits = (n: number) => this.check(worstCaseUsd(n)).ok;
    if (fits(wanted)) return wanted;
    if (!fits(0)) return -1;
    let [low, high] = [0, wanted];
    // low fits, high does not
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle;
    }
    return low;
  }

  /** Like check, but throws BudgetExhaustedError when the call is refused. */
  ensure(worstCaseUsd: number, what?: string): void {
    const result = this.check(worstCaseUsd, what);
    if (!result.ok) throw new BudgetExhaustedError(result.message);
  }

  /** True exactly once: the first time it is asked after spending reached 80 % of the budget. */
  warningDue(): boolean {
    if (this.warned || this.spentUsd + EPSILON_USD < BUDGET_WARNING_RATIO * this.budgetUsd) return false;
    this.warned = true;
    return true;
  }
}

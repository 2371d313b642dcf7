/** How dollars are written and when spending is worth a warning: one rule for the CLI, the log, the status bar and the sidebar. */

/** The share of the budget at which the user is warned once and the meters turn to the warning colour. */
export const BUDGET_WARNING_RATIO = 0.8;

export type BudgetLevel = 'ok' | 'warning' | 'over';

export function budgetLevel(usd: number, budgetUsd: number): BudgetLevel {
  const ratio = budgetUsd > 0 ? usd / budgetUsd : 0;
  return ratio >= 1 ? 'over' : ratio >= BUDGET_WARNING_RATIO ? 'warning' : 'ok';
}

/** Cents from $1 and for whole cents ($0.50), four decimals below, three significant figures under a cent. */
export function formatUsd(usd: number): string {
  const size = Math.abs(usd);
  const wholeCents = Math.abs(size * 100 - Math.round(size * 100)) < 1e-9;
  if (size >= 1 || wholeCents) return `$${usd.toFixed(2)}`;
  if (size >= 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toPrecision(3)}`;
}

/** Spend against the budget, as the status bar and the sidebar both show it; `~` while a reply streams. */
export function spendText(usd: number, budgetUsd: number, streaming = false): string {
  return `${streaming ? '~' : ''}${formatUsd(usd)} / ${formatUsd(budgetUsd)}`;
}

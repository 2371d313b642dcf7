import { budgetLevel, formatUsd as usd, spendText, type BudgetLevel } from '../../src/shared/money';
import type { CostView, EscalationView } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import { percent, shortModel } from '../format';

/** Spend against the budget (warning colour from 80 %), by model and role, escalations, lifelines. */
export function renderCost(cost: CostView): Child[] {
  return [
    renderMeter(cost),
    renderBreakdown('By model', cost.byModel, cost.usd, shortModel),
    renderBreakdown('By role', cost.byRole, cost.usd),
    renderEscalations(cost.escalations),
    renderLifelines(cost),
  ];
}

export function spendLevel(cost: CostView): BudgetLevel {
  return budgetLevel(cost.usd, cost.budgetUsd);
}

function renderMeter(cost: CostView): HTMLElement {
  const ratio = cost.budgetUsd > 0 ? cost.usd / cost.budgetUsd : 0;
  const spent = `${cost.streaming ? '~' : ''}${usd(cost.usd)}`;
  const label = h(
    'div',
    { class: 'spend-line' },
    h('strong', { class: 'spend' }, spent),
    h('span', { class: 'muted' }, ` of ${usd(cost.budgetUsd)} · ${percent(ratio)}`),
  );
  const bar = h('progress', {
    class: `budget-bar level-${spendLevel(cost)}`,
    max: 1,
    value: Math.min(ratio, 1),
    'aria-label': `Spent ${spent} of ${usd(cost.budgetUsd)}`,
  });
  const note = cost.streaming ? h('p', { class: 'muted small' }, 'A reply is arriving: the spend is an estimate until it ends.') : null;
  return h('div', { class: 'meter' }, label, bar, note);
}

function renderBreakdown(
  title: string,
  totals: Record<string, number>,
  all: number,
  name: (key: string) => string = (k) => k,
): HTMLElement | null {
  const rows = Object.entries(totals).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return null;
  const row = ([key, value]: [string, number]) =>
    h(
      'div',
      { class: 'row', title: key },
      h('span', { class: 'name' }, name(key)),
      h('span', { class: 'num' }, usd(value)),
      h('progress', { max: 1, value: all > 0 ? value / all : 0, 'aria-hidden': 'true' }),
    );
  return h('div', { class: 'breakdown' }, h('h3', {}, title), ...rows.map(row));
}

function renderEscalations(escalations: EscalationView[]): HTMLElement | null {
  if (escalations.length === 0) return null;
  return h(
    'div',
    { class: 'escalations' },
    h('h3', {}, `Escalations (${escalations.length})`),
    h('ul', {}, ...escalations.map(renderEscalation)),
  );
}

function renderEscalation(e: EscalationView): HTMLLIElement {
  const where = e.step !== undefined ? `step ${e.step} · ` : '';
  return h(
    'li',
    {},
    h(
      'div',
      { class: 'esc-head' },
      h(
        'span',
        {},
        `${where}${e.role}: `,
        h('span', { title: e.from }, shortModel(e.from)),
        ' → ',
        h('span', { title: e.to }, shortModel(e.to)),
      ),
      h('span', { class: 'num' }, `+${usd(e.addedUsd)}`),
    ),
    h('div', { class: 'muted small reason', title: e.reason }, e.reason),
  );
}

function renderLifelines(cost: CostView): HTMLElement {
  const dots = Array.from({ length: cost.lifelinesTotal }, (_, i) =>
    h('span', { class: i < cost.lifelinesLeft ? 'dot left' : 'dot used' }),
  );
  return h(
    'div',
    { class: 'lifelines', 'aria-label': `${cost.lifelinesLeft} of ${cost.lifelinesTotal} lifelines left` },
    h('span', {}, 'Expert lifelines'),
    h('span', { class: 'dots', 'aria-hidden': 'true' }, ...dots),
    h('span', { class: 'num' }, `${cost.lifelinesLeft}/${cost.lifelinesTotal} left`),
  );
}

export function costSummary(cost: CostView): string {
  return spendText(cost.usd, cost.budgetUsd, cost.streaming);
}

import type { SidebarView, UnverifiedClaimView, VerdictView } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import { change, direction, score } from '../format';
import { icon, type IconName } from '../icons';

/**
 * The verdict of an ended run, at the top of the sidebar: baseline → measured final, the change,
 * success or not by the rule; "not measured" with its reason. Then every number the run states
 * as a result that no experiment measured.
 */
export function renderVerdict(view: SidebarView): Child[] {
  if (!view.run || view.run.status === 'running') return [];
  return [view.verdict && verdictCard(view.verdict), view.unverifiedClaims.length > 0 && claimList(view.unverifiedClaims)];
}

const LOOK: Record<VerdictView['verdict'], { icon: IconName; title: string }> = {
  improved: { icon: 'pass', title: 'Improved' },
  'not improved': { icon: 'warning', title: 'Not improved' },
  'not measured': { icon: 'info', title: 'Not measured' },
};

function verdictCard(verdict: VerdictView): HTMLElement {
  const look = LOOK[verdict.verdict];
  const kind = verdict.verdict.replace(' ', '-');
  const changed = verdict.change === null ? null : h('span', { class: 'verdict-change' }, change(verdict.change));
  const head = h('div', { class: 'verdict-head' }, icon(look.icon), h('strong', {}, look.title), changed);
  return h('section', { class: `verdict verdict-${kind}`, 'aria-label': `Verdict: ${look.title}` }, head, ...verdictBody(verdict));
}

function verdictBody(verdict: VerdictView): Child[] {
  if (verdict.verdict === 'not measured') return [h('p', { class: 'verdict-reason' }, capitalized(verdict.reason)), metricLine(verdict)];
  const numbers = h(
    'p',
    { class: 'verdict-numbers' },
    h('span', { class: 'muted' }, 'baseline '),
    h('span', { class: 'num' }, value(verdict.baseline)),
    ' → ',
    h('span', { class: 'muted' }, 'final '),
    h('strong', { class: 'num' }, value(verdict.final)),
  );
  return [
    numbers,
    metricLine(verdict),
    h(
      'p',
      { class: 'verdict-rule muted small', title: verdict.reason },
      `${verdict.verdict === 'improved' ? 'Success:' : 'Success means'} ${verdict.rule}`,
    ),
  ];
}

function metricLine(verdict: VerdictView): HTMLElement | null {
  if (!verdict.metric) return null;
  return h(
    'p',
    { class: 'verdict-metric muted small' },
    h('code', {}, verdict.metric),
    verdict.higherIsBetter === null ? '' : ` · ${direction(verdict.higherIsBetter)}`,
  );
}

function claimList(claims: UnverifiedClaimView[]): HTMLElement {
  return h('ul', { class: 'claims', 'aria-label': 'Unverified claims' }, ...claims.map(claimItem));
}

function claimItem(claim: UnverifiedClaimView): HTMLLIElement {
  return h(
    'li',
    { class: 'claim' },
    h(
      'div',
      { class: 'claim-head' },
      icon('warning'),
      h('span', {}, 'Unverified: ', h('strong', { class: 'num' }, claim.text), ' — no experiment measured it'),
    ),
    h('div', { class: 'claim-context small', title: claim.context }, `${claim.where}: “${claim.context}”`),
  );
}

function value(v: number | null): string {
  return v === null ? '—' : score(v);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

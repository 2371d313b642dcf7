import { planParts } from '../../src/shared/planText';
import type { PlanPart, PlanView } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import type { UiState } from '../vscodeApi';

/** The current Research Plan and Status, its newest (`**bold**`) progress highlighted; history on demand. */
export function renderPlan(plan: PlanView, ui: UiState): Child[] {
  if (!plan.current) return [h('p', { class: 'muted' }, 'The planner has not written a plan yet.')];
  const text = h(
    'p',
    { class: 'plan-text' },
    ...plan.parts.map((part) => (part.fresh ? h('mark', { class: 'fresh', title: 'New in this step' }, part.text) : part.text)),
  );
  const older = plan.history.length - 1;
  const toggle = h(
    'button',
    { type: 'button', class: 'link', 'data-ui': 'toggleHistory', 'aria-expanded': ui.historyOpen ? 'true' : 'false', disabled: older < 1 },
    ui.historyOpen ? 'Hide history' : `History (${Math.max(older, 0)} earlier)`,
  );
  const meta = h('div', { class: 'meta' }, h('span', { class: 'muted' }, `updated at step ${plan.updatedAt}`), toggle);
  return [text, meta, ui.historyOpen && older > 0 && renderHistory(plan)];
}

function renderHistory(plan: PlanView): HTMLElement {
  const versions = plan.history.slice(0, -1).reverse();
  return h(
    'div',
    { class: 'history' },
    h(
      'ol',
      { class: 'history-list', reversed: true },
      ...versions.map((v) =>
        h(
          'li',
          {},
          h('span', { class: 'step-tag' }, `step ${v.step}`),
          h('p', { class: 'plan-text' }, ...planParts(v.text).map(historyPart)),
        ),
      ),
    ),
    h('button', { type: 'button', class: 'link', 'data-intent': 'showHistory' }, 'Open every version in an editor'),
  );
}

/** In older versions the then-new parts are bold, not highlighted. */
function historyPart(part: PlanPart): Node | string {
  return part.fresh ? h('strong', {}, part.text) : part.text;
}

export function planSummary(plan: PlanView): string {
  return plan.updatedAt ? `step ${plan.updatedAt}` : '';
}

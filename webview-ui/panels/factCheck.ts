import type { FactCheckItem } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';

/** The planner's latest fact check: each statement guessed or confirmed; confirmed ones link to their evidence. */
export function renderFactCheck(items: FactCheckItem[]): Child[] {
  if (items.length === 0) return [h('p', { class: 'muted' }, 'No statements to check yet.')];
  return [h('ul', { class: 'facts' }, ...items.map(renderItem))];
}

function renderItem(item: FactCheckItem): HTMLLIElement {
  const badge = h('span', { class: `badge ${item.status}` }, item.status);
  const { evidence } = item;
  const link =
    evidence &&
    h(
      'button',
      { type: 'button', class: 'link evidence', 'data-intent': 'openArtifact', 'data-step': evidence.step, 'data-kind': evidence.kind, 'data-cite': evidence.cite, title: `Open the ${evidence.kind} of step ${evidence.step} at "${evidence.cite}"` },
      `step ${evidence.step} · ${evidence.kind} · “${evidence.cite}”`,
    );
  return h('li', { class: 'fact' }, badge, h('span', { class: 'statement' }, item.statement), link);
}

export function factSummary(items: FactCheckItem[]): string {
  if (items.length === 0) return '';
  const confirmed = items.filter((i) => i.status === 'confirmed').length;
  return `${confirmed}/${items.length} confirmed`;
}

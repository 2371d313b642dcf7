import type { Evidence, FactCheckItem } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';

/**
 * The planner's latest fact check: each statement guessed or confirmed; confirmed ones link to the
 * experiment or observation that confirms it; "confirmed" numbers nothing measured are unconfirmed.
 */
export function renderFactCheck(items: FactCheckItem[]): Child[] {
  if (items.length === 0) return [h('p', { class: 'muted' }, 'No statements to check yet.')];
  return [h('ul', { class: 'facts' }, ...items.map(renderItem))];
}

function renderItem(item: FactCheckItem): HTMLLIElement {
  const badge = h('span', { class: `badge ${item.status}`, title: item.note }, item.status);
  const note = item.note && h('span', { class: 'fact-note small' }, item.note);
  return h(
    'li',
    { class: `fact fact-${item.status}` },
    badge,
    h('span', { class: 'statement' }, item.statement),
    note,
    item.evidence && evidenceLink(item.evidence),
  );
}

function evidenceLink(evidence: Evidence): HTMLButtonElement {
  if (evidence.experiment !== undefined) {
    const where = evidence.step === 0 ? 'baseline' : `step ${evidence.step}`;
    const text = `experiment #${evidence.experiment} · ${where} · ${evidence.metric ?? 'metric'} ${evidence.cite}`;
    return h(
      'button',
      {
        type: 'button',
        class: 'link evidence',
        'data-intent': 'openExperiment',
        'data-id': evidence.experiment,
        'data-cite': evidence.cite,
        title: `Open the output of experiment #${evidence.experiment} at "${evidence.cite}"`,
      },
      text,
    );
  }
  return h(
    'button',
    {
      type: 'button',
      class: 'link evidence',
      'data-intent': 'openArtifact',
      'data-step': evidence.step,
      'data-kind': evidence.kind,
      'data-cite': evidence.cite,
      title: `Open the ${evidence.kind} of step ${evidence.step} at "${evidence.cite}"`,
    },
    `step ${evidence.step} · ${evidence.kind} · “${evidence.cite}”`,
  );
}

export function factSummary(items: FactCheckItem[]): string {
  if (items.length === 0) return '';
  const confirmed = items.filter((i) => i.status === 'confirmed').length;
  const unconfirmed = items.filter((i) => i.status === 'unconfirmed').length;
  return `${confirmed}/${items.length} confirmed${unconfirmed ? ` · ${unconfirmed} ✗` : ''}`;
}

/** The summary turns to the warning colour when a statement claimed confirmed has no measurement. */
export function factLevel(items: FactCheckItem[]): string {
  return items.some((i) => i.status === 'unconfirmed') ? 'warning' : 'ok';
}

import type { ArtifactKind, TimelineEntry } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import { shortModel } from '../format';
import { icon } from '../icons';

/** Every step: its action and input, the start of its observation; click opens what the step produced. */
export function renderTimeline(entries: TimelineEntry[]): Child[] {
  if (entries.length === 0) return [h('p', { class: 'muted' }, 'No steps yet.')];
  return [h('ol', { class: 'timeline' }, ...[...entries].reverse().map(renderEntry))];
}

/** What a click on a step opens: its diff, else its script output, else its observation. */
function mainArtifact(entry: TimelineEntry): ArtifactKind {
  return entry.artifacts.includes('diff') ? 'diff' : entry.artifacts.includes('output') ? 'output' : 'observation';
}

function renderEntry(entry: TimelineEntry): HTMLLIElement {
  const head = h(
    'button',
    {
      type: 'button',
      class: 'step-head',
      'data-intent': 'openArtifact',
      'data-step': entry.step,
      'data-kind': mainArtifact(entry),
      disabled: !entry.done,
      title: entry.done ? `Open the ${mainArtifact(entry)} of step ${entry.step}` : 'The action is running',
    },
    h('span', { class: 'step-no' }, entry.step),
    entry.failure && icon('error'),
    h('span', { class: 'action' }, entry.action),
    h('span', { class: 'muted model', title: entry.model }, shortModel(entry.model)),
  );
  const links = entry.artifacts.map((kind) =>
    h('button', { type: 'button', class: 'link chip', 'data-intent': 'openArtifact', 'data-step': entry.step, 'data-kind': kind }, kind),
  );
  const failure = entry.failure;
  const error =
    failure &&
    h(
      'div',
      { class: 'step-error', title: failure.error },
      h('span', { class: 'step-error-kind' }, failure.outcome === 'timeout' ? 'Timed out: ' : 'Failed: '),
      failure.error,
    );
  return h(
    'li',
    { class: ['step', entry.done ? '' : 'running', failure ? 'failed' : ''].filter(Boolean).join(' ') },
    head,
    entry.input && h('div', { class: 'input', title: entry.input }, entry.input),
    error,
    h('pre', { class: 'observation' }, entry.done ? entry.observation : 'running…'),
    links.length > 0 && h('div', { class: 'chips' }, ...links),
  );
}

export function timelineSummary(entries: TimelineEntry[]): string {
  if (!entries.length) return '';
  const failed = entries.filter((e) => e.failure).length;
  return `${entries.length} steps${failed ? ` · ${failed} failed` : ''}`;
}

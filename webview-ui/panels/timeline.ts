import type { ArtifactKind, TimelineEntry } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import { shortModel } from '../format';

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
    { type: 'button', class: 'step-head', 'data-intent': 'openArtifact', 'data-step': entry.step, 'data-kind': mainArtifact(entry), disabled: !entry.done, title: entry.done ? `Open the ${mainArtifact(entry)} of step ${entry.step}` : 'The action is running' },
    h('span', { class: 'step-no' }, entry.step),
    h('span', { class: 'action' }, entry.action),
    h('span', { class: 'muted model', title: entry.model }, shortModel(entry.model)),
  );
  const links = entry.artifacts.map((kind) => h('button', { type: 'button', class: 'link chip', 'data-intent': 'openArtifact', 'data-step': entry.step, 'data-kind': kind }, kind));
  return h(
    'li',
    { class: entry.done ? 'step' : 'step running' },
    head,
    entry.input && h('div', { class: 'input', title: entry.input }, entry.input),
    h('pre', { class: 'observation' }, entry.done ? entry.observation : 'running…'),
    links.length > 0 && h('div', { class: 'chips' }, ...links),
  );
}

export function timelineSummary(entries: TimelineEntry[]): string {
  return entries.length ? `${entries.length} steps` : '';
}

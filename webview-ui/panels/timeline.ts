import type { ArtifactKind, TimelineEntry } from '../../src/shared/viewModels';
import { formatUsd } from '../../src/shared/money';
import { h, type Child } from '../dom';
import { duration, shortModel } from '../format';
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

/** What the step worked on, from its input summary: `script_name: train.py, …` → `train.py`. */
function target(entry: TimelineEntry): string {
  const first = entry.input.split(', ')[0] ?? '';
  const value = first.slice(first.indexOf(':') + 1).trim();
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}

/** The name a screen reader gives the step's button: "Step 3: Execute Script train.py, open output". */
function headLabel(entry: TimelineEntry): string {
  const what = [entry.action, target(entry)].filter(Boolean).join(' ');
  return `Step ${entry.step}: ${what}, ${entry.done ? `open ${mainArtifact(entry)}` : 'running'}`;
}

/** How long the step took and what its model calls cost. */
function stepMeta(entry: TimelineEntry): HTMLElement | null {
  const parts = [entry.durationMs !== undefined ? duration(entry.durationMs) : '', entry.usd > 0 ? formatUsd(entry.usd) : ''].filter(
    Boolean,
  );
  return parts.length > 0 ? h('span', { class: 'step-meta muted num' }, parts.join(' · ')) : null;
}

function renderNotes(notes: string[]): HTMLElement | null {
  if (notes.length === 0) return null;
  return h(
    'ul',
    { class: 'step-notes', 'aria-label': 'Your notes to the planner' },
    ...notes.map((note) => h('li', { class: 'step-note' }, icon('comment'), h('span', {}, h('span', { class: 'muted' }, 'You: '), note))),
  );
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
      'aria-label': headLabel(entry),
    },
    h('span', { class: 'step-no' }, entry.step),
    entry.failure && icon('error'),
    h('span', { class: 'action' }, entry.action),
    h('span', { class: 'muted model', title: entry.model }, shortModel(entry.model)),
  );
  const meta = stepMeta(entry);
  const links = entry.artifacts.map((kind) =>
    h(
      'button',
      {
        type: 'button',
        class: 'link chip',
        'data-intent': 'openArtifact',
        'data-step': entry.step,
        'data-kind': kind,
        'aria-label': `Open the ${kind} of step ${entry.step}`,
      },
      kind,
    ),
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
    renderNotes(entry.notes ?? []),
    head,
    meta,
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

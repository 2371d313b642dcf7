import type { SidebarIntent } from '../../src/shared/protocol';
import type { DecisionView, SidebarView } from '../../src/shared/viewModels';
import { fill, h, type Child } from '../dom';
import { folderText } from '../format';
import { icon } from '../icons';
import type { Section } from './section';

/**
 * The decision the run waits for, at the top: run a script or not, accept an edit or not, with a
 * reason for the planner. A new decision takes the focus unless the user is typing elsewhere.
 */
export function decisionSection(): Section {
  const element = h('section', { class: 'decision', hidden: true });
  let shown: string | null = null;
  return {
    element,
    uses: ['decision', 'setup'],
    update(view) {
      const decision = view.setup.trusted ? view.decision : null;
      const id = decision ? decision.id : null;
      if (id === shown) return;
      shown = id;
      element.hidden = decision === null;
      if (!decision) return fill(element);
      element.className = `decision decision-${decision.kind}`;
      element.setAttribute('aria-label', `Decision for step ${decision.step}`);
      element.tabIndex = -1;
      fill(element, ...card(decision));
      // the card itself takes the focus, never its Run or Accept button: a stray Enter must not answer it
      if (document.hasFocus() && !typingElsewhere(element)) element.focus();
    },
  };
}

/** The user is in a text field outside the card: a new decision must not take the focus from it. */
function typingElsewhere(card: HTMLElement): boolean {
  const active = document.activeElement;
  return active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement ? !card.contains(active) : false;
}

function card(decision: DecisionView): Child[] {
  const head = h('div', { class: 'decision-head' }, icon('bell'), h('span', {}, `Waiting for you · step ${decision.step}`));
  return decision.kind === 'run' ? [head, ...runCard(decision)] : [head, ...editCard(decision)];
}

function runCard(d: Extract<DecisionView, { kind: 'run' }>): Child[] {
  const limit = d.timeoutSec === null ? 'no time limit' : `time limit ${d.timeoutSec} s`;
  return [
    h('p', { class: 'decision-question' }, 'Run ', h('code', {}, d.command), '?'),
    h('p', { class: 'muted small' }, `in ${folderText(d.folder)} · ${limit}`),
    reasonField(d, 'Why not, or what to do instead (optional; goes to the planner)'),
    buttons(d, [
      ['run', 'Run', `Run the script of step ${d.step}`],
      ['decline', 'Decline', `Decline the script of step ${d.step}`],
    ]),
  ];
}

function editCard(d: Extract<DecisionView, { kind: 'edit' }>): Child[] {
  const hunks = `${d.hunks} ${d.hunks === 1 ? 'hunk' : 'hunks'}`;
  return [
    h('p', { class: 'decision-question' }, 'Apply the edit to ', h('code', {}, d.file), '?'),
    h(
      'p',
      { class: 'decision-size small' },
      h('span', { class: 'muted' }, `${hunks} · `),
      h('span', { class: 'added' }, `+${d.added}`),
      ' ',
      h('span', { class: 'removed' }, `−${d.removed}`),
      ' · ',
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          'data-intent': 'openDiff',
          'data-id': d.id,
          'aria-label': `Open the diff of step ${d.step} to ${d.file}`,
        },
        'Open Diff',
      ),
    ),
    d.reason && h('p', { class: 'decision-reason small', title: d.reason }, h('span', { class: 'muted' }, 'Planner: '), d.reason),
    reasonField(d, 'Why not, or what to change (optional; goes to the planner)'),
    buttons(d, [
      ['accept', 'Accept', `Accept the edit of step ${d.step} to ${d.file}`],
      ['reject', 'Reject', `Reject the edit of step ${d.step} to ${d.file}`],
    ]),
  ];
}

function reasonField(d: DecisionView, label: string): HTMLElement {
  const id = `reason-${d.id}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id, class: 'small muted' }, label),
    h('textarea', { id, class: 'reason', rows: 2, maxlength: 2000 }),
  );
}

type Choice = Extract<SidebarIntent, { type: 'decide' }>['choice'];

function buttons(d: DecisionView, specs: [Choice, string, string][]): HTMLElement {
  const [first, second] = specs.map(([choice, label, aria], i) =>
    h(
      'button',
      { type: 'button', class: i === 0 ? undefined : 'secondary', 'data-decide': choice, 'data-id': d.id, 'aria-label': aria },
      label,
    ),
  );
  return h('div', { class: 'buttons' }, first, second);
}

/** The `decide` message a decision button stands for, with the card's reason when one is written. */
export function decideIntent(button: HTMLElement): SidebarIntent | undefined {
  const { decide: choice, id } = button.dataset;
  if (!id || (choice !== 'run' && choice !== 'decline' && choice !== 'accept' && choice !== 'reject')) return undefined;
  const reason = button.closest('.decision')?.querySelector<HTMLTextAreaElement>('textarea.reason')?.value.trim().slice(0, 2000);
  return reason ? { type: 'decide', id, choice, reason } : { type: 'decide', id, choice };
}

export function isWaiting(view: SidebarView): boolean {
  return view.decision !== null && view.run?.status === 'running';
}

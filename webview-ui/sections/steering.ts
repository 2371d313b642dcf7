import type { SidebarIntent } from '../../src/shared/protocol';
import { h } from '../dom';
import type { Section } from './section';

/**
 * A note for the planner while the run goes (Ctrl/Cmd+Enter sends it), and pausing after the
 * current step. The text field lives across updates, so a spend tick never eats what is typed.
 */
export function steeringSection(send: (intent: SidebarIntent) => void): Section {
  const text = h('textarea', {
    id: 'steer-text',
    class: 'steer-text',
    rows: 2,
    maxlength: 4000,
    placeholder: 'A hint for the next step (Ctrl+Enter sends)',
  });
  const status = h('p', { class: 'muted small steer-status', hidden: true });
  const sendButton = h('button', { type: 'button', class: 'steer-send' }, 'Send to planner');
  const pause = h('button', { type: 'button', class: 'secondary', 'data-intent': 'pause' }, 'Pause after this step');
  const resume = h('button', { type: 'button', 'data-intent': 'continue' }, 'Continue');
  const element = h(
    'section',
    { class: 'steering', hidden: true, 'aria-label': 'Steer the run' },
    h('label', { for: 'steer-text', class: 'small muted' }, 'Message to the planner'),
    text,
    h('div', { class: 'buttons' }, sendButton, pause, resume),
    status,
  );
  const submit = () => {
    const note = text.value.trim();
    if (!note) return text.focus();
    send({ type: 'steer', text: note.slice(0, 4000) });
    text.value = '';
    status.hidden = false;
    status.textContent = 'Sent: the planner reads it before the next step.';
  };
  sendButton.addEventListener('click', submit);
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  });
  return {
    element,
    uses: ['run', 'setup'],
    update(view) {
      const run = view.run;
      element.hidden = !(run?.status === 'running' && view.setup.trusted);
      pause.hidden = run?.paused === true;
      resume.hidden = run?.paused !== true;
    },
  };
}

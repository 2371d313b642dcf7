import { h } from '../dom';
import { icon } from '../icons';
import type { Section } from './section';

/** Restricted Mode: past runs stay readable; nothing starts until the folder is trusted. */
export function restrictedNotice(): Section {
  const element = h(
    'section',
    { class: 'restricted', hidden: true, 'aria-label': 'Restricted Mode' },
    h('p', {}, icon('shield'), ' This folder is in Restricted Mode: BudgetML shows past runs but starts nothing until you trust it'),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'button', 'data-intent': 'command', 'data-command': 'workbench.trust.manage' }, 'Manage Workspace Trust'),
    ),
  );
  return {
    element,
    uses: ['setup'],
    update(view) {
      element.hidden = view.setup.trusted;
    },
  };
}

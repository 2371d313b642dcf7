import { formatUsd } from '../../src/shared/money';
import type { SidebarView } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import { shortModel } from '../format';
import { icon } from '../icons';

/** Before the first run: what BudgetML does, what it is set up with, and the first things to do. */
export function renderWelcome(view: SidebarView): Child[] {
  const { setup, cost } = view;
  return [
    h(
      'p',
      { class: 'welcome-text' },
      'BudgetML improves a training script step by step under a budget: cheap models plan, the expert is a lifeline.',
    ),
    h(
      'p',
      { class: 'muted small welcome-budget' },
      `Budget ${formatUsd(cost.budgetUsd)} · ${cost.lifelinesTotal} expert ${cost.lifelinesTotal === 1 ? 'lifeline' : 'lifelines'}`,
    ),
    renderProviders(view),
    renderModels(view),
    h('div', { class: 'buttons welcome-buttons' }, ...commandButtons(view).map(commandButton)),
    setup.hasTaskFile && setup.trusted && h('p', { class: 'muted small' }, 'budgetml.task.json is ready: Start runs it.'),
  ];
}

function renderProviders(view: SidebarView): HTMLElement | null {
  const { neededProviders, readyProviders } = view.setup;
  if (neededProviders.length === 0) return null;
  const item = (provider: string) => {
    const ready = readyProviders.includes(provider);
    return h(
      'li',
      { class: ready ? 'ready' : 'missing' },
      icon(ready ? 'pass' : 'warning'),
      h('span', {}, ` ${provider}: ${ready ? 'ready' : 'no key yet'}`),
    );
  };
  return h('ul', { class: 'providers', 'aria-label': 'Providers' }, ...neededProviders.map(item));
}

function renderModels(view: SidebarView): HTMLElement | null {
  const { planner, worker, expert } = view.setup.models;
  if (planner.length + worker.length === 0 && !expert) return null;
  const row = (role: string, models: string[]) =>
    models.length > 0 &&
    h(
      'div',
      { class: 'row' },
      h('span', { class: 'muted' }, role),
      h('span', { title: models.join(', ') }, models.map(shortModel).join(' → ')),
    );
  return h('div', { class: 'models small' }, row('Planner', planner), row('Worker', worker), row('Expert', expert ? [expert] : []));
}

interface CommandSpec {
  command: string;
  label: string;
  primary?: boolean;
}

function commandButtons(view: SidebarView): CommandSpec[] {
  const { setup } = view;
  const keyMissing = setup.neededProviders.some((p) => !setup.readyProviders.includes(p));
  const all: (CommandSpec & { trustedOnly?: boolean })[] = [
    { command: 'budgetml.setApiKey', label: 'Set API Key', primary: keyMissing },
    { command: 'budgetml.runDemo', label: 'Open the Sample and Run the Demo', primary: !keyMissing, trustedOnly: true },
    { command: 'budgetml.createTaskFile', label: 'Create a Task File', trustedOnly: true },
    { command: 'budgetml.selectModels', label: 'Select Models' },
    { command: 'budgetml.testConnection', label: 'Test Connection', trustedOnly: true },
  ];
  return all.filter((spec) => setup.trusted || !spec.trustedOnly);
}

function commandButton(spec: CommandSpec): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: spec.primary ? undefined : 'secondary', 'data-intent': 'command', 'data-command': spec.command },
    spec.label,
  );
}

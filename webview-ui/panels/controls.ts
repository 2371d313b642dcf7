import { formatUsd } from '../../src/shared/money';
import type { RunPhase } from '../../src/shared/runs';
import type { SidebarView, VerdictView } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import { icon } from '../icons';
import { isWaiting } from '../sections/decision';
import { renderWelcome } from './welcome';

/** The run's goal and state, the Replay badge, and the buttons (enabled only when they apply). */

const PHASE_TEXT: Record<RunPhase, string> = {
  running: 'Running',
  final_answer: 'Finished',
  max_steps: 'Step limit reached',
  budget_exhausted: 'Stopped before the next step: the budget cannot pay for it',
  cancelled: 'Stopped',
  error: 'Failed',
  interrupted: 'Interrupted',
};

export function renderHeader(view: SidebarView): Child[] {
  const { run } = view;
  const badges = h(
    'div',
    { class: 'badges' },
    view.replay && h('span', { class: 'badge replay', title: 'Recorded model answers are replayed: nothing is charged' }, 'Replay'),
  );
  if (!run) return [badges, ...renderWelcome(view)];
  const phase = phaseOf(view);
  const state = h('span', { class: `phase phase-${phase.look}` }, phase.icon && icon(phase.icon), phase.text);
  const step = h('span', { class: 'muted' }, `step ${run.step} of ${run.maxSteps}`);
  return [
    h('p', { class: 'goal', title: run.goal }, run.goal),
    h('div', { class: 'run-line' }, state, step, badges),
    run.message && h('p', { class: `run-message${run.status === 'error' ? ' error' : ''}` }, run.message),
  ];
}

/**
 * The run's state in words and its look: waiting for the user, paused, or its phase; a run that
 * finished says what its verdict found, and is green only when it improved.
 */
function phaseOf(view: SidebarView): { text: string; look: string; icon?: 'bell' | 'pause' } {
  const run = view.run!;
  if (isWaiting(view) && view.setup.trusted) return { text: 'Waiting for you', look: 'waiting', icon: 'bell' };
  if (run.status === 'running' && run.paused) return { text: `Paused after step ${run.step}`, look: 'paused', icon: 'pause' };
  return verdictPhase(run.status, view.verdict);
}

function verdictPhase(status: RunPhase, verdict: VerdictView | null): { text: string; look: string } {
  if (status !== 'final_answer' || !verdict) return { text: PHASE_TEXT[status], look: status };
  return { text: `${PHASE_TEXT[status]} — ${verdict.verdict}`, look: verdict.verdict.replace(' ', '-') };
}

interface ButtonSpec {
  intent: 'start' | 'stop' | 'askExpert';
  label: string;
  /** why the button is disabled; undefined: enabled */
  off: string | undefined;
  secondary?: boolean;
}

/** Start, Stop and Ask the Expert; in Restricted Mode none (nothing starts there). */
export function renderControls(view: SidebarView): Child[] {
  if (!view.setup.trusted) return [];
  const running = view.run?.status === 'running';
  const worstCase = view.cost.expertWorstCaseUsd;
  const buttons: ButtonSpec[] = [
    { intent: 'start', label: 'Start', off: running ? 'A run is going' : undefined },
    { intent: 'stop', label: 'Stop', off: running ? undefined : 'No run is going', secondary: true },
    {
      intent: 'askExpert',
      label: worstCase === null ? 'Ask the Expert' : `Ask the Expert (up to ${formatUsd(worstCase)})`,
      off: expertOff(view, running),
      secondary: true,
    },
  ];
  return [h('div', { class: 'buttons' }, ...buttons.map(button))];
}

function expertOff(view: SidebarView, running: boolean): string | undefined {
  if (!running) return 'No run is going';
  if (view.replay) return 'A replay has no expert to ask';
  if (view.cost.lifelinesLeft <= 0) return 'No lifeline is left';
  return undefined;
}

function button(spec: ButtonSpec): HTMLButtonElement {
  const title = spec.off ?? (spec.intent === 'askExpert' ? 'The expert model plans the next step (uses a lifeline)' : undefined);
  return h(
    'button',
    {
      type: 'button',
      class: spec.secondary ? 'secondary' : undefined,
      'data-intent': spec.intent,
      disabled: spec.off !== undefined,
      title,
    },
    spec.label,
  );
}

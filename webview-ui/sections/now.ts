import type { NowView } from '../../src/shared/viewModels';
import { fill, h, type Child } from '../dom';
import { duration, shortModel } from '../format';
import { icon } from '../icons';
import type { Section } from './section';

/**
 * What the agent does this moment: the model writing (its Thought as it arrives), the script running
 * (its last line, the time left), the wait for the user, the pause. Its clock ticks every second here,
 * from the start the host sent; nothing of it is announced.
 */
export interface NowSection extends Section {
  /** moves the clocks on */
  tick(): void;
}

export function nowSection(): NowSection {
  const element = h('section', { class: 'now', hidden: true, 'aria-label': 'Now' });
  let now: NowView | null = null;
  const tick = () => {
    if (!now) return;
    const since = sinceOf(now);
    const elapsed = element.querySelector('.now-elapsed');
    if (elapsed) elapsed.textContent = duration(Date.now() - since);
    const left = element.querySelector('.now-left');
    if (left && now.kind === 'script') left.textContent = leftText(now);
  };
  return {
    element,
    uses: ['now', 'run'],
    update(view) {
      now = view.run?.status === 'running' ? view.now : null;
      element.hidden = now === null;
      if (!now) return fill(element);
      element.className = `now now-${now.kind}`;
      fill(element, ...line(now));
      tick();
    },
    tick,
  };
}

function sinceOf(now: NowView): number {
  return now.kind === 'model' || now.kind === 'script' ? now.startedAt : now.since;
}

const ROLE: Record<'planner' | 'worker' | 'expert', string> = { planner: 'Planner', worker: 'Worker', expert: 'Expert' };

function line(now: NowView): Child[] {
  const elapsed = h('span', { class: 'now-elapsed num' });
  const sep = () => h('span', { class: 'muted', 'aria-hidden': 'true' }, ' · ');
  switch (now.kind) {
    case 'model':
      return [
        h(
          'div',
          { class: 'now-head' },
          icon('sparkle'),
          h('span', { class: 'now-what' }, ROLE[now.role]),
          sep(),
          h('span', { title: now.model }, shortModel(now.model)),
          sep(),
          elapsed,
        ),
        h('div', { class: 'now-detail', title: now.thought }, now.thought || h('span', { class: 'muted' }, 'writing its reply…')),
      ];
    case 'script':
      return [
        h(
          'div',
          { class: 'now-head' },
          icon('terminal'),
          h('code', { class: 'now-what', title: now.command }, now.command),
          now.where && sep(),
          now.where && h('span', { class: 'muted', title: `runs on ${now.where}` }, `on ${now.where}`),
          sep(),
          elapsed,
          now.timeoutSec !== null && sep(),
          now.timeoutSec !== null && h('span', { class: 'now-left num muted' }),
        ),
        h('pre', { class: 'now-detail', title: now.lastLine }, now.lastLine || ' '),
      ];
    case 'waiting':
      return [
        h('div', { class: 'now-head' }, icon('bell'), h('span', { class: 'now-what' }, 'Waiting for you'), sep(), elapsed),
        h(
          'div',
          { class: 'now-detail muted' },
          now.decision === 'run' ? 'to run the script or decline it' : 'to accept the edit or reject it',
        ),
      ];
    case 'paused':
      return [
        h('div', { class: 'now-head' }, icon('pause'), h('span', { class: 'now-what' }, 'Paused'), sep(), elapsed),
        h('div', { class: 'now-detail muted' }, 'Continue to start the next step.'),
      ];
  }
}

function leftText(now: Extract<NowView, { kind: 'script' }>): string {
  if (now.timeoutSec === null) return '';
  const left = Math.max(0, now.timeoutSec - Math.floor((Date.now() - now.startedAt) / 1000));
  return `${left} s left`;
}

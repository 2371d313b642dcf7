import type { ToWebview } from '../src/shared/protocol';
import type { SidebarView } from '../src/shared/viewModels';
import { announcement } from './announce';
import { h } from './dom';
import { panels } from './panels/index';
import { mountPanel, type MountedPanel } from './panels/shell';
import { intentOf } from './intents';
import { decideIntent, decisionSection } from './sections/decision';
import { restrictedNotice } from './sections/notice';
import { nowSection } from './sections/now';
import type { Section } from './sections/section';
import { steeringSection } from './sections/steering';
import { loadState, post, saveState, type UiState } from './vscodeApi';

/** The sidebar: renders the view the host sends, keeps it for instant restore, reports the user's intents. */

const scriptStart = performance.now();

const saved = loadState();
let view: SidebarView | undefined = saved?.view ?? viewInPage();
const ui: UiState = saved?.ui ?? { collapsed: [], historyOpen: false };
let reported = false;
/** How long a card's buttons stay off after an answer the host has not taken yet (ignored, or failed). */
const ANSWER_WAIT_MS = 3000;
/** The decision answered from its card: its buttons are off until it goes, or it still waits (see enableAnswer). */
let answering: { id: string; timer: ReturnType<typeof setTimeout> } | undefined;

const app = document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));
/** announces changes of state only (see announce.ts) */
const liveRegion = document.body.appendChild(h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', id: 'announcer' }));
const now = nowSection();
const [runPanel, ...otherPanels] = panels;
const sections: Section[] = [restrictedNotice(), decisionSection(), now];
for (const section of sections) app.append(section.element);
const mounted: MountedPanel[] = [mountPanel(runPanel, app, ui)];
const steering = steeringSection(post);
app.append(steering.element);
sections.push(steering);
mounted.push(...otherPanels.map((panel) => mountPanel(panel, app, ui)));
app.classList.add('empty');
setInterval(() => now.tick(), 1000);

/** The view the host wrote into the page, so the first drawing needs no round trip. */
function viewInPage(): SidebarView | undefined {
  const text = document.getElementById('initial-view')?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as SidebarView;
  } catch {
    return undefined;
  }
}

function width(): number {
  return Math.max(200, app.clientWidth - 24);
}

/** Redraws the panels that show any of `changed` (all when undefined); returns the time it took. */
function draw(changed?: (keyof SidebarView)[]): number {
  const start = performance.now();
  if (!view) return 0;
  app.classList.remove('empty');
  const available = width();
  for (const section of sections) {
    if (!changed || section.uses.some((key) => changed.includes(key))) section.update(view);
  }
  for (const m of mounted) {
    if (!changed || m.panel.uses.some((key) => changed.includes(key))) m.draw(view, ui, available);
  }
  void app.offsetHeight; // forces layout, so the time includes it
  return performance.now() - start;
}

function remember(): void {
  if (view) saveState({ view, ui });
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

/** The first drawing with data: how long after the script started it was laid out, and how long drawing took. */
function reportFirstRender(source: 'restored' | 'page' | 'host', drawMs: number): void {
  if (reported) return;
  reported = true;
  post({ type: 'rendered', ms: tenths(performance.now() - scriptStart), drawMs: tenths(drawMs), source });
}

function receive(message: ToWebview): void {
  let drawMs: number;
  const before = view;
  if (message.type === 'state') {
    view = message.view;
    drawMs = draw();
  } else if (message.type === 'patch' && view) {
    view = { ...view, ...message.view };
    drawMs = draw(Object.keys(message.view) as (keyof SidebarView)[]);
  } else return;
  if (message.type === 'state' || 'decision' in message.view) afterDecisionUpdate();
  announce(before);
  remember();
  reportFirstRender('host', drawMs);
}

function announce(before: SidebarView | undefined): void {
  const text = view && before ? announcement(before, view) : null;
  if (text) liveRegion.textContent = text;
}

/** One answer per decision: the card's buttons are off until the host shows the decision gone, or still waiting. */
function disableAnswer(id: string, card: Element | null): void {
  card?.querySelectorAll('.buttons button').forEach((b) => b.setAttribute('disabled', ''));
  if (answering) clearTimeout(answering.timer);
  answering = { id, timer: setTimeout(() => enableAnswer(id), ANSWER_WAIT_MS) };
}

/** The answered decision still waits (the answer was ignored or failed): its buttons work again; the typed reason stays. */
function enableAnswer(id: string): void {
  if (answering?.id !== id) return;
  clearTimeout(answering.timer);
  answering = undefined;
  if (view?.decision?.id !== id) return;
  app.querySelectorAll(`.decision .buttons button[data-id="${CSS.escape(id)}"]`).forEach((b) => b.removeAttribute('disabled'));
}

/** The host told where the decision is: the card redrew for another one, or the answered one still waits. */
function afterDecisionUpdate(): void {
  if (!answering) return;
  if (view?.decision?.id === answering.id) return enableAnswer(answering.id);
  clearTimeout(answering.timer);
  answering = undefined;
}

window.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as ToWebview | undefined;
  if (data && typeof data === 'object' && (data.type === 'state' || data.type === 'patch')) receive(data);
});

app.addEventListener('click', (event) => {
  const target = (event.target as Element).closest<HTMLElement>('[data-intent], [data-ui], [data-decide]');
  if (!target || target.hasAttribute('disabled')) return;
  if (target.dataset.decide) {
    const decided = decideIntent(target);
    if (decided?.type !== 'decide') return;
    post(decided);
    disableAnswer(decided.id, target.closest('.decision'));
    return;
  }
  if (target.dataset.ui === 'toggleHistory') {
    ui.historyOpen = !ui.historyOpen;
    draw(['plan']);
    remember();
    return;
  }
  const intent = intentOf(target.dataset);
  if (intent) post(intent);
});

app.addEventListener(
  'toggle',
  (event) => {
    const details = event.target as HTMLElement;
    const id = details.dataset.panel;
    if (!id) return;
    ui.collapsed = (details as HTMLDetailsElement).open ? ui.collapsed.filter((c) => c !== id) : [...new Set([...ui.collapsed, id])];
    remember();
  },
  true,
);

let lastWidth = 0;
new ResizeObserver(() => {
  const now = width();
  if (Math.abs(now - lastWidth) < 4) return;
  lastWidth = now;
  draw(['metrics']);
}).observe(app);

if (view) reportFirstRender(saved?.view ? 'restored' : 'page', draw());
post({ type: 'ready' });

import type { SidebarView } from '../../src/shared/viewModels';
import { fill, h, type Child } from '../dom';
import type { UiState } from '../vscodeApi';

/** A collapsible panel whose body is redrawn when the parts of the view it shows change. */
export interface Panel {
  id: string;
  title: string;
  /** the parts of the view it shows */
  uses: (keyof SidebarView)[];
  body(view: SidebarView, ui: UiState, width: number): Child[];
  summary?(view: SidebarView): string;
  /** a state the panel's title shows in colour (the spend level) */
  level?(view: SidebarView): string;
}

export interface MountedPanel {
  panel: Panel;
  element: HTMLElement;
  draw(view: SidebarView, ui: UiState, width: number): void;
}

export function mountPanel(panel: Panel, parent: HTMLElement, ui: UiState): MountedPanel {
  const summaryText = h('span', { class: 'panel-summary' });
  const body = h('div', { class: 'panel-body' });
  const element = h(
    'details',
    { class: `panel panel-${panel.id}`, 'data-panel': panel.id, open: !ui.collapsed.includes(panel.id) },
    h('summary', {}, h('span', { class: 'panel-title' }, panel.title), summaryText),
    body,
  );
  parent.append(element);
  return {
    panel,
    element,
    draw(view, state, width) {
      fill(body, ...panel.body(view, state, width));
      summaryText.textContent = panel.summary?.(view) ?? '';
      if (panel.level) element.dataset.level = panel.level(view);
    },
  };
}

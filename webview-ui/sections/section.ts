import type { SidebarView } from '../../src/shared/viewModels';

/**
 * A part of the sidebar that keeps its elements between updates (what the user types in it, where
 * the focus is): it changes only what changed, where a panel redraws its whole body.
 */
export interface Section {
  element: HTMLElement;
  /** the parts of the view it shows */
  uses: (keyof SidebarView)[];
  update(view: SidebarView): void;
}

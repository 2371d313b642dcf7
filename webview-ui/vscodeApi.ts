import type { FromWebview } from '../src/shared/protocol';
import type { SidebarView } from '../src/shared/viewModels';

/** What the webview keeps across hide/show: the last view and the user's own choices. */
export interface SavedState {
  view: SidebarView;
  ui: UiState;
}

export interface UiState {
  /** panels the user collapsed */
  collapsed: string[];
  historyOpen: boolean;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: FromWebview): void {
  api.postMessage(message);
}

export function loadState(): SavedState | undefined {
  const saved = api.getState() as Partial<SavedState> | undefined;
  if (!saved || typeof saved !== 'object' || !saved.view || typeof saved.view !== 'object') return undefined;
  return { view: saved.view, ui: { collapsed: saved.ui?.collapsed ?? [], historyOpen: saved.ui?.historyOpen ?? false } };
}

export function saveState(state: SavedState): void {
  api.setState(state);
}

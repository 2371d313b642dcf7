import type { ToWebview } from '../../shared/protocol';
import type { SidebarView } from '../../shared/viewModels';

/**
 * What to send so the webview shows `next`: nothing when it already does, a patch of the changed
 * top-level parts when few changed (a spend tick changes only `cost`), else the whole state.
 */
export function messageFor(shown: SidebarView | undefined, next: SidebarView): ToWebview | undefined {
  if (!shown) return { type: 'state', view: next };
  const keys = Object.keys(next) as (keyof SidebarView)[];
  const changed = keys.filter((key) => JSON.stringify(shown[key]) !== JSON.stringify(next[key]));
  if (changed.length === 0) return undefined;
  if (changed.length * 2 > keys.length) return { type: 'state', view: next };
  const patch: Partial<SidebarView> = {};
  for (const key of changed) Object.assign(patch, { [key]: next[key] });
  return { type: 'patch', view: patch };
}

/**
 * Which line server this page may reach. Its Content-Security-Policy is fixed when the document
 * loads and lets the WebSocket reach only the server that was paired then (shared/line/
 * connect-source.ts; none while training), so a pairing that moves the desk to another server needs
 * a reload: the page comes back in Settings › Line (the {@link LINE_SETTINGS_MARKER} fragment) and
 * its line connects to the new server at start, as on any start.
 */
import { connectSourceOf } from '../../../shared/line/connect-source.js';

/** The fragment that reopens Settings › Line after the reload. */
export const LINE_SETTINGS_MARKER = '#line-settings';

/** The source the page's CSP names for its line (null: none), once known. */
let loadedFor: string | null | undefined;

/**
 * Records the line server this page was loaded with: the first saved line it reads (line-store.ts,
 * at start; nothing can pair before that). Later calls change nothing.
 */
export function notePageLine(server: string | null): void {
  if (loadedFor === undefined) loadedFor = connectSourceOf(server);
}

/** True when this page's CSP lets its line connect to `server` (false while that is not known). */
export function pageReaches(server: string): boolean {
  const source = connectSourceOf(server);
  return source !== null && loadedFor !== undefined && source === loadedFor;
}

type PageLocation = Pick<Location, 'hash' | 'pathname' | 'search' | 'reload'>;
type PageHistory = Pick<History, 'replaceState' | 'state'>;

/** Reloads the page (new CSP) to come back in Settings › Line. */
export function reloadIntoLineSettings(location: PageLocation = window.location, history: PageHistory = window.history): void {
  history.replaceState(history.state, '', `${location.pathname}${location.search}${LINE_SETTINGS_MARKER}`);
  location.reload();
}

/** True when the page was reloaded by {@link reloadIntoLineSettings}; then removes the marker. */
export function takeLineSettingsMarker(location: Omit<PageLocation, 'reload'>, history: PageHistory): boolean {
  if (location.hash !== LINE_SETTINGS_MARKER) return false;
  history.replaceState(history.state, '', location.pathname + location.search);
  return true;
}

let reopen: boolean | undefined;

/** Read once per page (StrictMode and remounts must not lose it). */
export function pageReopensLineSettings(): boolean {
  reopen ??= typeof window !== 'undefined' && takeLineSettingsMarker(window.location, window.history);
  return reopen;
}

/** For tests: forget what this module learned about the page. */
export function resetPageLine(): void {
  loadedFor = undefined;
  reopen = undefined;
}

/**
 * Where the app's own pages live. The renderer is served from a custom privileged scheme, so
 * "is this ours?" is one prefix check shared by navigation, permission and IPC sender checks.
 * (No 'electron' import here: plain constants other layers may read.)
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'kotozute';
/** The origin Chromium reports for our pages (standard scheme: scheme://host). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Every URL of ours starts with this; the trailing slash pins the host. */
export const APP_URL_PREFIX = `${APP_ORIGIN}/`;
export const APP_ENTRY_URL = `${APP_URL_PREFIX}index.html`;

/** True for a URL served by our protocol handler, false for anything else (or nothing). */
export function isAppUrl(url: string | null | undefined): boolean {
  return typeof url === 'string' && url.startsWith(APP_URL_PREFIX);
}

/**
 * The renderer's storage, cleared at the end of the day (issue 10 §1): what the page may have kept
 * in the app's session — Local Storage, IndexedDB, Cache Storage, service workers, the shader cache —
 * plus the HTTP cache and the compiled-code cache. The clearance (services/clearance) calls this
 * through an injected function, so the services never import electron.
 *
 * Electron 45's `clearStorageData` no longer knows `websql` (Chromium removed Web SQL); cookies stay
 * (the desk sets none; its page is served from the app's own scheme). Session Storage lives in the
 * page's memory only and goes with the page's own clear (the 'clear-page-storage' desk event).
 */
import type { Session } from 'electron';

/** The storages `clearStorageData` clears, as Electron names them. */
export const CLEARED_STORAGES = ['localstorage', 'indexdb', 'cachestorage', 'serviceworkers', 'shadercache'] as const;

/** What one call cleared: the storages above, then the HTTP cache and the code caches. */
export const CLEARED_AREAS = [...CLEARED_STORAGES, 'http-cache', 'code-cache'] as const;

/** Clears `session`'s renderer storage; resolves to the number of areas cleared (CLEARED_AREAS). */
export function createRendererStorageClearer(session: Pick<Session, 'clearStorageData' | 'clearCache' | 'clearCodeCaches'>): () => Promise<number> {
  return async () => {
    await session.clearStorageData({ storages: [...CLEARED_STORAGES] });
    await session.clearCache();
    // An empty list: every entry in the code cache directory.
    await session.clearCodeCaches({ urls: [] });
    return CLEARED_AREAS.length;
  };
}

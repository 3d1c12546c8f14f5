/**
 * The names the preload needs, and nothing else: no schema, no zod. The preload runs on every page
 * load, so it carries only these strings (errors.ts, desk-events.ts and the contract re-use them).
 */

/** The IPC channel of one contract method. */
export const channelOf = (method: string): string => `kotozute:${method}`;

/**
 * Electron's contextBridge keeps only an Error's message, so the preload throws
 * `Error(API_ERROR_PREFIX + JSON.stringify(errorInfo))` and the renderer decodes it (errors.ts).
 */
export const API_ERROR_PREFIX = 'KOTOZUTE_API_ERROR ';

/**
 * The IPC channel (Electron) the main process sends every desk event on. No contract method is named
 * `event`, so it cannot collide with `channelOf(method)`; a unit test keeps it that way.
 */
export const DESK_EVENT_CHANNEL = 'kotozute:event';

/**
 * The composition root of the main-process services: everything Electron's main process and the
 * dev-web harness share. It never imports 'electron'; the caller passes in the paths and the key
 * store, so the same desk runs in plain Node for tests.
 */
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import type { Logger } from './log.js';
import type { KeyStore } from './keychain.js';

export interface DeskOptions {
  /** Where the desk keeps its files (Electron: app.getPath('userData'); dev-web: KOTOZUTE_DATA_DIR). */
  dataDir: string;
  /** Folder holding the bundled assets (assets/ in the repo, resources/assets when packaged). */
  assetsDir: string;
  keyStore: KeyStore;
  log: Logger;
  /** Injected so tests can pin the time of day that chooses a greeting. */
  now?: () => Date;
}

export interface Desk {
  handlers: ApiHandlers;
  close(): Promise<void>;
}

export { createDesk } from './desk-impl.js';

/**
 * What the desk is given (DeskOptions) and what its handler groups share (DeskContext). Its own file,
 * so the groups (line-, note-, roster-, monitor-handlers) and the composition root (desk.ts) both
 * import it and none of them imports desk.ts back.
 */
import type { DeskState, KeychainState } from '../../../shared/ipc/contract.js';
import type { DeskEvent } from '../../../shared/ipc/desk-events.js';
import type { AuditLog } from './audit/audit-log.js';
import type { DeskAttention } from './clearance/attention.js';
import type { ClearanceDeps } from './clearance/clearance.js';
import type { OutboxJob } from './outbox/job.js';
import type { NoteMeta } from './vault/vault.js';
import type { CallRegistry } from './call-registry.js';
import type { ClipboardGuard, ClipboardPort } from './clipboard/clipboard-guard.js';
import type { KeyStore } from './keychain.js';
import type { Logger } from './log.js';
import type { ProvisionedDirectory } from './provisioned-directory.js';
import type { FloorIdentity } from './roster/floor-identity.js';
import type { RosterService } from './roster/roster-service.js';
import type { EncryptedStore } from './secure-store.js';
import type { LoadedDirectory } from './training-directory.js';

export interface DeskOptions {
  /** Where the desk keeps its files (Electron: app.getPath('userData'); dev-web: KOTOZUTE_DATA_DIR). */
  dataDir: string;
  /** Folder holding the bundled assets (assets/ in the repo, resources/assets when packaged). */
  assetsDir: string;
  keyStore: KeyStore;
  log: Logger;
  /** Injected so tests can pin the time of day that chooses a greeting. */
  now?: () => Date;
  /**
   * Test and development override of the training directory (a signed bundle and the public key
   * it is checked against). Only the dev-web harness passes these; the Electron build never does.
   */
  trainingBundlePath?: string;
  trainingPublicKeyPath?: string;
  /**
   * An extra CA (PEM) the hand-off senders trust besides the system's — for tests and dev-web only
   * (the loopback receivers' CA). The Electron build never passes it; it never disables verification.
   */
  handOffCa?: string;
  /**
   * The system clipboard (Electron: platform/clipboard.ts). The dev-web harness passes none: plain
   * Node cannot reach the browser's clipboard, so there the page copies through the copy event itself.
   */
  clipboard?: ClipboardPort;
  /**
   * Adopt keychain secrets stored under the bare (pre-namespace) account names. Only the Electron
   * build's default profile passes true; every other data directory has accounts of its own only.
   */
  adoptLegacyKeychain?: boolean;
  /** Who this desk is on the floor (roster, desk key, person signed in); none = no floor (issue 9). */
  floorIdentity?: FloorIdentity;
  /** Pushes an event to the desk's page (Electron: platform/desk-events.ts; dev-web: the bridge). */
  pushEvent?: (event: DeskEvent) => void;
  /**
   * Clears the renderer's storage at End of day (issue 10 §1), resolving to the areas cleared.
   * Electron: the session API (platform/renderer-storage.ts); dev-web: the pages told to clear theirs.
   */
  clearRendererStorage?: () => Promise<number>;
  /**
   * Saves an exported deletion record where the person chooses (Electron: platform/save-file.ts, a
   * save dialog); resolves to whether it was saved. None (dev-web): the page downloads the file itself.
   */
  saveFile?: (fileName: string, text: string) => Promise<boolean>;
}

/**
 * What every group of handlers shares. Groups (line-handlers, note-handlers) take this instead of
 * reaching into each other, so each stays small and testable on its own.
 */
export interface DeskContext {
  options: DeskOptions;
  log: Logger;
  now: () => Date;
  keychain: KeychainState;
  /** null when the keychain is unavailable: nothing secret can be stored then. */
  store: EncryptedStore | null;
  /** The directory in use: a provisioned one once imported, else the training sample. */
  active: () => LoadedDirectory;
  provisioned: ProvisionedDirectory;
  calls: CallRegistry;
  warnings: Warning[];
  /** Training until a line is paired; a group that pairs the line sets it. */
  mode: { current: DeskState['mode'] };
  /** Run on close, last registered first (e.g. stop the outbox, close the vault). */
  onClose: Array<() => Promise<void> | void>;
  /** The audit trail, once the notes group opened it (null without a keychain). */
  audit: AuditLog | null;
  /** The roster, this desk's key and who is signed in (the FloorIdentity the floor services read). */
  floor: RosterService;
  /**
   * "Needs attention" (issue 10 §4, §5): a clearance refused because something is undelivered.
   * Raise it with `ctx.attention.raiseNeedsAttention(source, counts)`; the desk's screen and its
   * floor state show it.
   */
  attention: DeskAttention;
  /** The notes group's vault and outbox as the clearance needs them (set once notes are open). */
  notesPort?: NotesPort;
  /** The note text the desk put on the clipboard (none in dev-web): cleared at End of day too. */
  clipboard?: ClipboardGuard | null;
}

/** What the clearance (issue 10) needs of the notes group: what is held, and the files to itself. */
export interface NotesPort {
  notes(): NoteMeta[];
  jobs(): OutboxJob[];
  /** Stops the outbox, closes the vault, runs `fn` on their files, then opens both again (whatever `fn` did). */
  suspended<T>(fn: (deps: ClearanceDeps, held: { notes: NoteMeta[]; jobs: OutboxJob[] }) => Promise<T>): Promise<T>;
  /** End of day "retry now": hands the message off again at once (HandOffService.sendAgain). */
  sendAgain(noteId: string): void;
  /** End of day "send by the fallback channel" (HandOffService.sendByFallback). */
  sendByFallback(noteId: string): void;
}

export type Warning = DeskState['warnings'][number];

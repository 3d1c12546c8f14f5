/**
 * The composition root of the main-process services: everything Electron's main process and the
 * dev-web harness share. It never imports 'electron'; the caller passes in the paths and the key
 * store, so the same desk runs in plain Node for tests.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import type { ApiHandlers, DeskState, KeychainState } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { displayDid, normaliseDid } from '../../../shared/directory/did.js';
import type { Client } from '../../../shared/directory/schema.js';
import type { Logger } from './log.js';
import { getOrCreateKey, probeKeychain, type KeyStore } from './keychain.js';
import { openEncryptedStore, type EncryptedStore } from './secure-store.js';
import { openSettingsStore } from './settings-store.js';
import { buildPop } from './directory/pop-builder.js';
import { EMPTY_DIRECTORY, loadTrainingDirectory, type LoadedDirectory } from './training-directory.js';
import { ProvisionedDirectory } from './provisioned-directory.js';
import { createLineHandlers } from './line-handlers.js';
import { createNoteHandlers } from './note-handlers.js';
import { CallRegistry } from './call-registry.js';
import { createClipboardGuard, type ClipboardPort } from './clipboard/clipboard-guard.js';
import { namespacedKeyStore } from './keychain-namespace.js';
import type { AuditLog } from './audit/audit-log.js';
import { RosterService } from './roster/roster-service.js';
import { getOrCreateDeskKey } from './roster/desk-key.js';
import { PINNED_ADMIN_KEY } from './provisioned-directory.js';
import { createRosterHandlers } from './roster-handlers.js';
import { z } from 'zod';
import type { DeskEvent } from '../../../shared/ipc/desk-events.js';
import type { FloorIdentity } from './roster/floor-identity.js';
import { createFloorService } from './floor/floor-service.js';
import { createMonitorHandlers } from './monitor-handlers.js';

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
}

export interface Desk {
  handlers: ApiHandlers;
  close(): Promise<void>;
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
}

type Warning = DeskState['warnings'][number];

/** The keychain account that holds the key of the desk's encrypted store. */
const STORE_KEY_ACCOUNT = 'desk-store-key';

export async function createDesk(given: DeskOptions): Promise<Desk> {
  const { dataDir, log } = given;
  // Every keychain account this desk uses is its own: two desks on one computer never share a key.
  const options: DeskOptions = {
    ...given,
    keyStore: namespacedKeyStore(given.keyStore, { dataDir, adoptLegacy: given.adoptLegacyKeychain === true }),
  };
  const now = options.now ?? (() => new Date());
  const warnings: Warning[] = [];

  const { settings, warning: settingsWarning } = openSettingsStore({ dir: dataDir });
  if (settingsWarning) warnings.push({ code: 'settings-reset', message: settingsWarning });

  const keychain: KeychainState = await probeKeychain(options.keyStore);
  let store: EncryptedStore | null = null;
  let bundleStore: EncryptedStore | null = null;
  let rosterStore: EncryptedStore | null = null;
  let deskKey: KeyObject | null = null;
  if (keychain.ok) {
    const key = await getOrCreateKey(options.keyStore, STORE_KEY_ACCOUNT);
    const open = (name: string): EncryptedStore => {
      const opened = openEncryptedStore({ dir: dataDir, name, key });
      if (opened.quarantined) {
        log.warn('store.quarantined', { reason: opened.quarantined.reason });
        warnings.push({
          code: 'store-quarantined',
          message: `The desk's encrypted store "${name}" could not be read (${opened.quarantined.reason}). It was moved aside to ${opened.quarantined.movedTo} and started empty.`,
        });
      }
      return opened.store;
    };
    store = open('desk');
    bundleStore = open('directory');
    rosterStore = open('roster');
    deskKey = await getOrCreateDeskKey(options.keyStore);
  } else {
    log.warn('keychain.unavailable', { reason: keychain.reason });
  }

  const training = await loadTrainingDirectory(options);
  if (training.warning) warnings.push(training.warning);
  const provisioned = new ProvisionedDirectory(store, bundleStore, log);
  const provisionedWarning = provisioned.load();
  if (provisionedWarning) warnings.push(provisionedWarning);

  /**
   * A provisioned directory wins once there is one. Until then a training desk rehearses on the
   * sample — but a live desk never pops a sample client for a real caller: with no directory of its
   * own, every real call gets the generic script and its warning (and the desk says why).
   */
  const active = (): LoadedDirectory => provisioned.current ?? (ctx.mode.current === 'live' ? EMPTY_DIRECTORY : training.directory);
  const ctx: DeskContext = {
    options,
    log,
    now,
    keychain,
    store,
    active,
    provisioned,
    calls: new CallRegistry(),
    warnings,
    mode: { current: 'training' },
    onClose: [],
    audit: null,
    floor: new RosterService({
      store,
      rosterStore,
      pinnedKey: () => store?.get(PINNED_ADMIN_KEY, z.string()),
      deskKey,
      audit: () => ctx.audit,
      log,
      now,
    }),
  };
  const rosterWarning = ctx.floor.load();
  if (rosterWarning) warnings.push(rosterWarning);
  const mode = (): DeskState['mode'] => ctx.mode.current;
  const clipboard = options.clipboard ? createClipboardGuard(options.clipboard, { log }) : null;
  // On quit the timer would never fire: a note text still on the clipboard is cleared now.
  if (clipboard) ctx.onClose.push(() => clipboard.close());

  const floor = createFloorService({
    // The roster service is this desk's floor identity; tests and dev-web may pass a fixture instead.
    identity: options.floorIdentity ?? ctx.floor,
    now: () => now().getTime(),
    outbox: async () => {
      const jobs = await handlers.listOutbox(undefined);
      return { pending: jobs.filter((j) => j.state !== 'failed' && j.state !== 'delivered').length, failed: jobs.filter((j) => j.state === 'failed').length };
    },
    ...(options.pushEvent ? { push: options.pushEvent } : {}),
  });
  ctx.onClose.push(() => floor.close());

  const handlers: ApiHandlers = {
    getDeskState: () => ({ mode: mode(), keychain, directory: active().status, warnings }),

    listClients: () =>
      active().index.summaries.map((c) => ({
        id: c.id,
        name: c.name,
        kana: c.kana,
        dids: c.dids.map((d) => displayDid(normaliseDid(d) ?? d)),
      })),

    simulateCall: (args) => {
      if (mode() !== 'training') {
        throw new ApiError('not-allowed', 'Simulated calls are for training mode only.');
      }
      const index = active().index;
      let client: Client | undefined;
      let did: string;
      if (args.clientId !== undefined) {
        client = index.byId(args.clientId);
        if (!client) throw new ApiError('not-found', `No client with id "${args.clientId}" is in the directory.`);
        did = normaliseDid(client.dids[0] ?? '') ?? '';
      } else {
        const typed = args.did ?? '';
        const normalised = normaliseDid(typed);
        if (normalised === null) {
          throw new ApiError('invalid-argument', 'The dialled number is not a phone number.', [`did: "${typed.slice(0, 64)}"`]);
        }
        did = normalised;
        client = index.byDid(normalised);
      }
      log.info('call.simulated', { known: client !== undefined });
      return ctx.calls.remember(
        buildPop({ client, did, caller: args.caller, callId: randomUUID(), training: true, at: now() }),
      );
    },

    getSettings: () => settings.get(),
    updateSettings: (patch) => settings.update(patch),

    importDirectory: ({ bundle }) => provisioned.import(bundle),

    copyNoteText: async ({ text }) => {
      if (!clipboard) {
        throw new ApiError('not-allowed', 'This desk has no access to the system clipboard (dev-web): the page copies by itself.');
      }
      return { clearsInMs: await clipboard.copy(text) };
    },

    ...(await createLineHandlers(ctx)),
    ...(await createNoteHandlers(ctx)),
    ...createRosterHandlers(ctx),
    ...floor.handlers,
    ...createMonitorHandlers(ctx),
  };

  return {
    handlers,
    async close() {
      for (const step of ctx.onClose.slice().reverse()) await step();
      log.info('desk.closed');
    },
  };
}

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
import { getOrCreateKey, probeKeychain } from './keychain.js';
import { openEncryptedStore, type EncryptedStore } from './secure-store.js';
import { openSettingsStore } from './settings-store.js';
import { buildPop } from './directory/pop-builder.js';
import { EMPTY_DIRECTORY, loadTrainingDirectory, type LoadedDirectory } from './training-directory.js';
import { ProvisionedDirectory } from './provisioned-directory.js';
import { createLineHandlers } from './line-handlers.js';
import { createNoteHandlers } from './note-handlers.js';
import { CallRegistry } from './call-registry.js';
import { createClipboardGuard } from './clipboard/clipboard-guard.js';
import { namespacedKeyStore } from './keychain-namespace.js';
import { RosterService } from './roster/roster-service.js';
import { getOrCreateDeskKey } from './roster/desk-key.js';
import { PINNED_ADMIN_KEY } from './provisioned-directory.js';
import { createRosterHandlers } from './roster-handlers.js';
import { createLogHandlers } from './log-handlers.js';
import { z } from 'zod';
import { createFloorService } from './floor/floor-service.js';
import { createMonitorHandlers } from './monitor-handlers.js';
import { createClearanceHandlers } from './clearance-handlers.js';
import { deskClearancePort } from './floor-clearance-port.js';
import { createDeskAttention } from './clearance/attention.js';
import { createDeskClearance } from './desk-clearance-handlers.js';
import type { DeskContext, DeskOptions, Warning } from './desk-context.js';
import { gateWhileLocked } from './lock-gate.js';

export type { DeskContext, DeskOptions } from './desk-context.js';

export interface Desk {
  handlers: ApiHandlers;
  close(): Promise<void>;
}


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
    attention: createDeskAttention(() => now().getTime()),
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
  ctx.clipboard = clipboard;

  const floorIdentity = options.floorIdentity ?? ctx.floor;
  const floor = createFloorService({
    // The roster service is this desk's floor identity; tests and dev-web may pass a fixture instead.
    identity: floorIdentity,
    now: () => now().getTime(),
    outbox: async () => {
      const jobs = await handlers.listOutbox(undefined);
      return { pending: jobs.filter((j) => j.state !== 'failed' && j.state !== 'delivered').length, failed: jobs.filter((j) => j.state === 'failed').length };
    },
    attention: () => ctx.attention.current(),
    ...(options.pushEvent ? { push: options.pushEvent } : {}),
    locked: () => ctx.floor.isLocked(),
    clearance: {
      // Cleared by a shift lead's command: "needs attention" is over and the operator's page reads its notice.
      port: deskClearancePort(ctx, floorIdentity, () => {
        ctx.attention.resolve();
        try {
          options.pushEvent?.({ type: 'clearance-notice' });
        } catch {
          // the page may be gone; it reads the notice when it loads
        }
      }),
      // The operator's own notice (why nothing was cleared) and the board's 要対応 come from here;
      // the page is told through the attention's change (clearance-notice).
      onNeedsAttention: ({ counts }) =>
        ctx.attention.raiseNeedsAttention('floor', { undelivered: counts.draft + counts.ready + counts.handingOff + counts.failed, failed: counts.failed }),
      onRefused: (what, reason) => {
        log.info('clearance.refused', { what, reason });
        try {
          ctx.audit?.append({ type: 'clearance-refused', reason });
        } catch (err) {
          log.error('clearance.audit-failed', { error: err instanceof Error ? err.name : 'unknown' });
        }
      },
    },
  });
  ctx.onClose.push(() => floor.close());

  // Scheduled clearance (issue 10 §5, §6): the page is told when to read the notice again.
  const deskClearance = createDeskClearance(ctx, {
    attention: ctx.attention,
    notify: () => {
      try {
        options.pushEvent?.({ type: 'clearance-notice' });
      } catch {
        // the page may be gone; it reads the notice when it loads
      }
    },
  });
  ctx.onClose.push(() => deskClearance.scheduler.stop());

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
    ...createClearanceHandlers(ctx),
    ...deskClearance.handlers,
    ...createLogHandlers(ctx.log),
  };

  // A daily clearance missed while the desk was off runs now, before the API exists: no note can be
  // opened before it (the API is handed to the window only once createDesk returns).
  try {
    await deskClearance.scheduler.start();
  } catch (err) {
    // The desk still starts; the scheduler looks again within a minute.
    log.error('clearance.schedule-unavailable', { error: err instanceof Error ? err.name : 'unknown' });
  }

  return {
    // The idle lock holds here too, whichever transport calls (Electron IPC or the dev-web bridge):
    // the desk's own services above keep the ungated handlers (lock-gate.ts).
    handlers: gateWhileLocked(handlers, () => ctx.floor.isLocked()),
    async close() {
      for (const step of ctx.onClose.slice().reverse()) await step();
      log.info('desk.closed');
    },
  };
}

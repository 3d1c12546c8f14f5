/**
 * The line's side of the API (issue 3): pairing, provisioning, the password in the keychain, the pop
 * for a real call and hidden transfer targets.
 *
 * Where things live: the line profile (server, SIP address — they identify the customer) only in the
 * encrypted store; the SIP password only in the OS keychain; neither in a settings file or a log.
 * A desk with a stored profile is live; without one it trains.
 */
import { randomUUID } from 'node:crypto';
import { normaliseDid } from '../../../shared/directory/did.js';
import type { Client } from '../../../shared/directory/schema.js';
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { LineProfile, type LineState } from '../../../shared/ipc/line-contract.js';
import type { DeskContext } from './desk-context.js';
import { buildPop } from './directory/pop-builder.js';
import { KeychainError } from './keychain.js';
import { checkLineProfile, parseProvisioningProfile } from './line-profile-check.js';
import { probeLineServer } from './line-probe.js';
import type { EncryptedStore } from './secure-store.js';

export type LineHandlers = Pick<
  ApiHandlers,
  | 'getLine'
  | 'pairLine'
  | 'unpairLine'
  | 'getLinePassword'
  | 'importProvisioning'
  | 'probeLineServer'
  | 'popIncomingCall'
  | 'clientLabels'
  | 'resolveTransferTarget'
>;

/** Encrypted-store key of the paired line's profile. */
export const LINE_PROFILE_KEY = 'line.profile';
/** Keychain account of the SIP password. */
export const SIP_PASSWORD_ACCOUNT = 'sip-password';

/** Turns a keychain failure into the error the operator reads; anything else passes through. */
function keychainFailure(err: unknown, doing: string): unknown {
  if (err instanceof KeychainError) {
    return new ApiError('keychain-unavailable', `The SIP password could not be ${doing} the OS keychain: ${err.message}`);
  }
  return err;
}

export async function createLineHandlers(ctx: DeskContext): Promise<LineHandlers> {
  const { log } = ctx;
  const keyStore = ctx.options.keyStore;

  /** The store, or a refusal that says why nothing secret can be kept. */
  const requireStore = (doing: string): EncryptedStore => {
    if (ctx.store) return ctx.store;
    const why = ctx.keychain.ok ? '' : ` ${ctx.keychain.message}`;
    throw new ApiError(
      'keychain-unavailable',
      `The desk cannot ${doing}: the OS keychain is not available, and the line settings and password are never kept without it.${why}`,
    );
  };

  const storedProfile = (): LineProfile | null => ctx.store?.get(LINE_PROFILE_KEY, LineProfile) ?? null;

  const hasPassword = async (): Promise<boolean> => {
    if (!ctx.keychain.ok) return false;
    try {
      return (await keyStore.get(SIP_PASSWORD_ACCOUNT)) !== null;
    } catch (err) {
      log.warn('line.password-unreadable', { reason: err instanceof KeychainError ? err.reason : 'failed' });
      return false;
    }
  };

  const lineState = async (): Promise<LineState> => {
    const profile = storedProfile();
    return { paired: profile !== null, profile, hasPassword: profile !== null && (await hasPassword()) };
  };

  // A stored profile makes the desk live from the start: it has a real line to answer.
  try {
    if (storedProfile()) ctx.mode.current = 'live';
  } catch (err) {
    // A stored value the desk no longer understands: keep training, say so.
    log.warn('line.profile-unreadable');
    ctx.warnings.push({
      code: 'line-profile-invalid',
      message: `The stored line settings could not be read, so the desk starts in training mode: ${err instanceof Error ? err.message : 'unknown error'}`,
    });
  }

  return {
    getLine: () => lineState(),

    async pairLine({ profile, password }) {
      checkLineProfile(profile);
      const store = requireStore('pair a line');
      if (password !== undefined) {
        try {
          await keyStore.set(SIP_PASSWORD_ACCOUNT, password);
        } catch (err) {
          throw keychainFailure(err, 'saved in');
        }
      }
      store.set(LINE_PROFILE_KEY, LineProfile.parse(profile));
      ctx.mode.current = 'live';
      log.info('line.paired', { passwordChanged: password !== undefined });
      return lineState();
    },

    async unpairLine() {
      if (ctx.store) ctx.store.delete(LINE_PROFILE_KEY);
      if (ctx.keychain.ok) {
        try {
          await keyStore.delete(SIP_PASSWORD_ACCOUNT);
        } catch (err) {
          throw keychainFailure(err, 'removed from');
        }
      }
      ctx.mode.current = 'training';
      log.info('line.unpaired');
      return { paired: false, profile: null, hasPassword: false };
    },

    async getLinePassword() {
      requireStore('read the line password');
      let password: string | null;
      try {
        password = await keyStore.get(SIP_PASSWORD_ACCOUNT);
      } catch (err) {
        throw keychainFailure(err, 'read from');
      }
      if (password === null) throw new ApiError('not-found', 'No SIP password is stored: type it in Settings › Line and connect.');
      return { password };
    },

    async importProvisioning({ profile: text }) {
      const store = requireStore('import a provisioning profile');
      // Everything is checked before anything is written: a refused profile changes nothing.
      const checked = parseProvisioningProfile(text);
      if (checked.rosterBundle !== undefined) ctx.floor.check(checked.rosterBundle, checked.adminPublicKey, 'rosterBundle');
      try {
        ctx.provisioned.pin(checked.adminPublicKey, checked.directoryBundle);
      } catch (err) {
        if (!(err instanceof ApiError) || err.code !== 'directory-invalid') throw err;
        throw new ApiError(
          err.code,
          `The provisioning profile was not imported: its directoryBundle ${err.message.charAt(0).toLowerCase()}${err.message.slice(1)}`,
          err.details.map((d) => `directoryBundle: ${d}`),
        );
      }
      // The password is not in the profile: keep one already typed on this desk.
      // The roster was checked above against the same key; one signed by a key no longer pinned is dropped.
      if (checked.rosterBundle !== undefined) ctx.floor.import(checked.rosterBundle);
      else ctx.floor.revalidate();
      store.set(LINE_PROFILE_KEY, checked.line);
      ctx.mode.current = 'live';
      log.info('line.provisioned', { directory: checked.directoryBundle !== undefined });
      return lineState();
    },

    async probeLineServer({ server }) {
      // Only the paired line's own server is tried: the desk is not a tool for trying other hosts.
      const paired = storedProfile();
      if (!paired || paired.server !== server) {
        throw new ApiError('not-allowed', 'Only the paired line\'s server can be tried: save the line settings first.');
      }
      const result = await probeLineServer(server);
      // The outcome and the error code only: the server's name stays out of the log.
      log.info('line.probed', { outcome: result.outcome, code: result.detail ?? null });
      return result;
    },

    popIncomingCall({ callId, did, caller }) {
      let client: Client | undefined;
      try {
        client = did === null ? undefined : ctx.active().index.byDid(did);
      } catch (err) {
        // A client entry that fails its check when first used: the call is ringing now, so the
        // operator gets the safe generic script (and its warning) rather than no pop at all.
        if (!(err instanceof ApiError)) throw err;
        log.warn('directory.client-invalid', { code: err.code });
      }
      log.info('call.incoming', { known: client !== undefined });
      return ctx.calls.remember(
        buildPop({
          client,
          did: did ?? '',
          caller,
          // The renderer's call id names the call in the note; a missing one never reaches here (schema).
          callId: callId || randomUUID(),
          training: ctx.mode.current === 'training',
          at: ctx.now(),
        }),
      );
    },

    clientLabels() {
      // From the index's summaries (the bundle's signed table): no client entry is parsed for this.
      const clients = ctx.active().index.summaries.map((c) => ({
        id: c.id,
        name: c.name,
        dids: c.dids.map((d) => normaliseDid(d)).filter((d): d is string => d !== null),
      }));
      return { clients: clients.filter((c) => c.dids.length > 0) };
    },

    resolveTransferTarget({ clientId, staffId }) {
      const staff = ctx.active().index.byId(clientId)?.staff.find((s) => s.id === staffId);
      const target = staff?.transferTarget;
      // Neither the target nor the staff member is logged: only whether there was one.
      log.info('call.transfer-target', { found: target !== undefined });
      if (target === undefined) {
        throw new ApiError('not-found', 'This staff member has no transfer target in the directory: take a message instead.');
      }
      return { target };
    },
  };
}

/**
 * The roster's handlers (shared/ipc/roster-contract.ts): this desk's identity, the roster in use,
 * import, sign-in and sign-out. The RosterService (ctx.floor) does the work.
 */
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { LineProfile } from '../../../shared/ipc/line-contract.js';
import { DeskSipUri } from '../../../shared/roster/schema.js';
import type { DeskContext } from './desk-context.js';
import { LINE_PROFILE_KEY } from './line-handlers.js';
import { enrolmentString, fingerprint, publicKeyText } from './roster/desk-key.js';

export type RosterHandlers = Pick<ApiHandlers, 'deskIdentity' | 'rosterState' | 'importRoster' | 'signIn' | 'unlock' | 'lockDesk' | 'signOut'>;

export function createRosterHandlers(ctx: DeskContext): RosterHandlers {
  const floor = ctx.floor;
  return {
    deskIdentity() {
      let key;
      try {
        key = floor.deskKey();
      } catch (err) {
        return { ok: false, message: err instanceof ApiError ? err.message : 'This desk has no key.' };
      }
      const publicKey = publicKeyText(key);
      const enrolled = floor.thisDesk();
      const aor = ctx.store?.get(LINE_PROFILE_KEY, LineProfile)?.aor;
      const sipUri = aor !== undefined && DeskSipUri.safeParse(aor).success ? aor : undefined;
      // A name suggestion: the SIP user of a paired desk, else a neutral one the admin replaces.
      const name = enrolled?.name ?? (sipUri ? (sipUri.split(':')[1]?.split('@')[0] ?? 'desk') : 'desk');
      return {
        ok: true,
        publicKey,
        fingerprint: fingerprint(publicKey),
        enrolment: enrolmentString({ name, publicKey, ...(sipUri ? { sipUri } : {}) }),
        enrolledAs: enrolled && { id: enrolled.id, name: enrolled.name },
      };
    },
    rosterState: () => floor.state(),
    importRoster: ({ bundle }) => floor.import(bundle),
    signIn: ({ personId, secret }) => floor.signIn(personId, secret),
    unlock: ({ secret }) => floor.unlock(secret),
    lockDesk: () => floor.lock(),
    signOut: () => floor.signOut(),
  };
}

/**
 * The operator desk's side of a watch (issue 9 §4): which supervisor desks may receive its states.
 *
 * A watch is a token signed by a person's key (shared/floor/wire.ts WatchPayload). It is kept only if
 * the person is in the roster with a watching role, it names this desk, its watcher desk is a roster
 * desk, it is fresh (±FRESHNESS_MS by its sentAt) and its nonce was never seen. States then go to the
 * watcher desk's roster SIP URI — never to the From of the MESSAGE, which anyone can write. A lease
 * lasts leaseMs unless renewed; a lease of 0 ends it; a newer roster without the person or the desk
 * ends it too.
 */
import { FRESHNESS_MS, type WatchPayload } from '../../../../shared/floor/wire.js';
import type { RosterDesk } from '../../../../shared/roster/schema.js';
import type { FloorIdentity } from '../roster/floor-identity.js';
import { readToken, type TokenRefusal } from './floor-token.js';
import { NonceCache } from './nonce-cache.js';
import { RosterKeys, mayWatch } from './roster-keys.js';

export type WatchRefusal = TokenRefusal | 'no-roster' | 'wrong-kind' | 'wrong-desk' | 'role' | 'unknown-watcher' | 'stale' | 'replayed';

export type WatchOutcome = { ok: true; watch: WatchPayload } | { ok: false; reason: WatchRefusal };

interface Lease {
  person: string;
  expiresAt: number;
}

export class WatchLeases {
  private readonly keys = new RosterKeys();
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly identity: FloorIdentity,
    private readonly now: () => number,
    private readonly nonces = new NonceCache(2 * FRESHNESS_MS),
  ) {}

  /** Checks a watch token and keeps, renews or ends the lease it asks for. */
  accept(token: string): WatchOutcome {
    const roster = this.identity.roster();
    const me = this.identity.thisDesk();
    if (!roster || !me) return { ok: false, reason: 'no-roster' };
    const keys = this.keys.use(roster);
    const read = readToken(token, keys.keyOf);
    if (!read.ok) return { ok: false, reason: read.reason };
    const watch = read.payload;
    if (watch.kind !== 'watch') return { ok: false, reason: 'wrong-kind' };
    if (watch.deskId !== me.id) return { ok: false, reason: 'wrong-desk' };
    if (!mayWatch(keys.person(watch.person))) return { ok: false, reason: 'role' };
    if (!keys.desk(watch.watcherDesk) || watch.watcherDesk === me.id) return { ok: false, reason: 'unknown-watcher' };
    const now = this.now();
    if (Math.abs(now - watch.sentAt) > FRESHNESS_MS) return { ok: false, reason: 'stale' };
    // Last: a refused token must not burn a nonce, or a forger could block a real one in advance.
    if (!this.nonces.use(watch.nonce, now)) return { ok: false, reason: 'replayed' };
    if (watch.leaseMs === 0) this.leases.delete(watch.watcherDesk);
    else this.leases.set(watch.watcherDesk, { person: watch.person, expiresAt: now + watch.leaseMs });
    return { ok: true, watch };
  }

  /** The roster desks holding a live lease (whose person may still watch under the roster in use). */
  watchers(): RosterDesk[] {
    const roster = this.identity.roster();
    if (!roster) {
      this.leases.clear();
      return [];
    }
    const keys = this.keys.use(roster);
    const now = this.now();
    const live: RosterDesk[] = [];
    for (const [deskId, lease] of this.leases) {
      const desk = keys.desk(deskId);
      if (lease.expiresAt <= now || !desk || !mayWatch(keys.person(lease.person))) this.leases.delete(deskId);
      else live.push(desk);
    }
    return live;
  }
}

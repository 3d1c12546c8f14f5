/**
 * The supervisor desk's board (issue 9 §4, §5): the last verified state of every roster desk.
 *
 * Every state token is checked here before it counts: signed by the key the roster lists for the
 * desk it names (unsigned, forged, unknown desk → dropped and counted by reason), fresh (±FRESHNESS_MS
 * by its sentAt: an old state replayed later is dropped as stale), and newer than the one held (the
 * highest seq wins, so a late or replayed state never rolls a desk back). A desk silent for
 * UNREACHABLE_AFTER_MS (by this desk's clock) turns unreachable. Bounded by the roster: one row per
 * roster desk, nothing kept for a desk the roster does not list.
 */
import { FRESHNESS_MS, UNREACHABLE_AFTER_MS, type DeskStatePayload } from '../../../../shared/floor/wire.js';
import type { BoardRow, DroppedCounts, FloorBoardView } from '../../../../shared/ipc/floor-contract.js';
import type { FloorIdentity } from '../roster/floor-identity.js';
import { readToken } from './floor-token.js';
import { RosterKeys } from './roster-keys.js';

export type StateOutcome = 'state' | 'ignored' | 'dropped';

interface Heard {
  state: DeskStatePayload;
  heardAt: number;
}

const noDrops = (): DroppedCounts => ({ malformed: 0, schema: 0, 'unknown-signer': 0, 'bad-signature': 0, stale: 0, 'wrong-kind': 0 });

export class FloorBoard {
  private readonly keys = new RosterKeys();
  private readonly heard = new Map<string, Heard>();
  private dropped = noDrops();
  /** Desks that were reachable at the last look, to tell when one fell silent. */
  private reachableAtLastLook = new Set<string>();

  constructor(
    private readonly identity: FloorIdentity,
    private readonly now: () => number,
  ) {}

  /**
   * Checks and keeps one state token. 'state' when the board changed, 'ignored' for a valid state
   * no newer than the one held (a duplicate), 'dropped' (and counted) for anything else.
   */
  receive(token: string): StateOutcome {
    const roster = this.identity.roster();
    const keys = this.keys.use(roster);
    const read = readToken(token, keys.keyOf);
    if (!read.ok) return this.drop(read.reason);
    const state = read.payload;
    if (state.kind !== 'desk-state') return this.drop('wrong-kind');
    const now = this.now();
    if (Math.abs(now - state.sentAt) > FRESHNESS_MS) return this.drop('stale');
    const held = this.heard.get(state.deskId);
    if (held && held.state.seq >= state.seq) return 'ignored';
    this.heard.set(state.deskId, { state, heardAt: now });
    return 'state';
  }

  /** True when a desk's reachability changed since the last call (the caller then pushes the board). */
  reachabilityChanged(): boolean {
    const now = new Set(this.view().rows.filter((r) => r.reachable).map((r) => r.deskId));
    const changed = now.size !== this.reachableAtLastLook.size || [...now].some((id) => !this.reachableAtLastLook.has(id));
    this.reachableAtLastLook = now;
    return changed;
  }

  view(): FloorBoardView {
    const roster = this.identity.roster();
    const keys = this.keys.use(roster);
    const at = this.now();
    const me = this.identity.thisDesk()?.id;
    const rows: BoardRow[] = (roster?.desks ?? [])
      .filter((desk) => desk.id !== me)
      .map((desk) => {
        const heard = this.heard.get(desk.id);
        const person = heard?.state.person ? keys.person(heard.state.person) : undefined;
        return {
          deskId: desk.id,
          deskName: desk.name,
          operator: person?.name ?? null,
          state: heard?.state ?? null,
          reachable: heard !== undefined && at - heard.heardAt < UNREACHABLE_AFTER_MS,
          heardAt: heard?.heardAt ?? null,
        };
      });
    // A desk the roster no longer lists is forgotten (bounded by the roster in use).
    if (this.heard.size > rows.length) {
      const listed = new Set(rows.map((r) => r.deskId));
      for (const id of this.heard.keys()) if (!listed.has(id)) this.heard.delete(id);
    }
    return { at, rows, dropped: { ...this.dropped } };
  }

  private drop(reason: keyof DroppedCounts): 'dropped' {
    this.dropped[reason] += 1;
    return 'dropped';
  }
}

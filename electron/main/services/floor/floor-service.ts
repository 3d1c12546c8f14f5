/**
 * The floor in the main process (issue 9 §4, §5), behind the four floor methods of the API
 * (shared/ipc/floor-contract.ts). The renderer carries the SIP MESSAGEs; everything that needs a key
 * or a check happens here:
 *
 * - operator desk: completes the renderer's state (desk id, seq, person, outbox counts), signs it with
 *   the desk key and names the watchers holding a live lease (watch-leases.ts);
 * - supervisor desk: signs a watch per roster desk with the signed-in person's key, and keeps the
 *   board (floor-board.ts) from the states that arrive, pushing it to the page on every change and
 *   when a desk falls silent;
 * - clearing the floor (issue 10 §4, floor-clearance.ts): the shift lead desk signs clearance commands
 *   and keeps the live status from the reports; a target desk checks a command, clears or answers
 *   "busy" / "needs attention", and runs a pending command once its floor report says it is idle.
 */
import { randomBytes } from 'node:crypto';
import { WATCH_LEASE_MS, type DeskStatePayload, type WatchPayload } from '../../../../shared/floor/wire.js';
import type { ApiHandlers } from '../../../../shared/ipc/contract.js';
import type { DeskEvent } from '../../../../shared/ipc/desk-events.js';
import type { NeedsAttention } from '../../../../shared/clearance/notice.js';
import type { FloorMessage } from '../../../../shared/ipc/floor-contract.js';
import { ApiError } from '../../../../shared/ipc/errors.js';
import type { FloorIdentity } from '../roster/floor-identity.js';
import { FloorBoard } from './floor-board.js';
import { FloorClearance, type FloorClearanceOptions } from './floor-clearance.js';
import { signToken } from './floor-token.js';
import { mayWatch } from './roster-keys.js';
import { WatchLeases } from './watch-leases.js';

export type FloorHandlers = Pick<
  ApiHandlers,
  'floorReport' | 'floorDeliver' | 'floorWatch' | 'getFloorBoard' | 'floorClearAll' | 'floorClearanceUnsent' | 'getFloorClearance'
>;

export interface FloorServiceOptions {
  /** Who this desk is and who sits at it; none (or no roster) = a desk without a floor. */
  identity: FloorIdentity | undefined;
  now: () => number;
  /** The outbox's counts for the state (pending includes sending and retrying). */
  outbox: () => Promise<{ pending: number; failed: number }>;
  /** "Needs attention" (issue 10): a clearance refused because something is undelivered; none = never. */
  attention?: () => NeedsAttention | null;
  /** Pushes a desk event to the page (the board); none where nobody listens. */
  push?: (event: DeskEvent) => void;
  /**
   * Whether the desk is locked now (the idle lock, lock-gate.ts): the board — every desk's calls and
   * clients — is not pushed to a locked page; the page asks for it again on unlock (getFloorBoard).
   */
  locked?: () => boolean;
  /** How often the board looks for desks that fell silent (default 1 s). */
  sweepMs?: number;
  /** Clearing the floor: this desk's notes, the operator's notice, the audit of refusals (issue 10 §4). */
  clearance?: Pick<FloorClearanceOptions, 'port' | 'onNeedsAttention' | 'onRefused' | 'answerMs' | 'pendingMs'>;
}

export interface FloorService {
  handlers: FloorHandlers;
  /** The floor clearance of this desk (both ends), for tests and the desk's own notices. */
  clearance: FloorClearance;
  /** The board's own look for silent desks (the timer calls it; tests call it with their clock). */
  sweep(): void;
  close(): void;
}

const NO_FLOOR: FloorIdentity = {
  roster: () => null,
  thisDesk: () => null,
  deskKey: () => {
    throw new Error('this desk has no floor identity');
  },
  signedIn: () => null,
};

export function createFloorService(options: FloorServiceOptions): FloorService {
  const identity = options.identity ?? NO_FLOOR;
  const { now } = options;
  const leases = new WatchLeases(identity, now);
  const board = new FloorBoard(identity, now);
  let seq = 0;
  const clearance = new FloorClearance({
    identity,
    now,
    ...options.clearance,
    onStatus: (status) => {
      try {
        options.push?.({ type: 'floor-clearance', status });
      } catch {
        // the page may be gone; it reads the status again when it opens
      }
    },
  });

  const pushBoard = (): void => {
    if (!options.push || options.locked?.()) return;
    try {
      options.push({ type: 'floor-board', board: board.view() });
    } catch {
      // the page may be gone; the board is pushed again on the next change
    }
  };

  const sweep = (): void => {
    if (identity.roster() && board.reachabilityChanged()) pushBoard();
    clearance.sweep();
  };
  const timer = setInterval(sweep, options.sweepMs ?? 1_000);
  timer.unref();

  const handlers: FloorHandlers = {
    async floorReport(args) {
      const me = identity.thisDesk();
      if (!identity.roster() || !me) return { messages: [] };
      // A clearance command kept while the desk was busy runs once it is idle; its report goes out with the state.
      const reports = await clearance.activity(args.activity);
      const watchers = leases.watchers();
      if (watchers.length === 0) return { messages: reports };
      const person = identity.signedIn()?.person.id ?? null;
      const sentAt = now();
      // Time-based, so a desk that restarts still counts up past what the boards already hold.
      seq = Math.max(seq + 1, sentAt);
      const state: DeskStatePayload = {
        kind: 'desk-state',
        v: 1,
        deskId: me.id,
        seq,
        sentAt,
        person,
        // An idle desk without anyone signed in is "signed out"; a call still in progress stays shown.
        activity: person === null && args.activity === 'idle' ? 'signed-out' : args.activity,
        since: args.since,
        call: args.call,
        outbox: await options.outbox(),
        line: args.line,
        attention: options.attention?.() ?? null,
      };
      const token = signToken(state, identity.deskKey());
      return { messages: [...reports, ...watchers.map((w) => ({ to: w.sipUri, token }))] };
    },

    async floorDeliver({ body }) {
      const token = body.trim();
      // The payload's kind decides who checks it; each check reads the token itself, trusting nothing.
      const kind = peekKind(token);
      if (kind === 'clearance') return clearance.receiveCommand(token);
      if (kind === 'clearance-report') return clearance.receiveReport(token);
      if (kind === 'watch') {
        const outcome = leases.accept(token);
        if (!outcome.ok) return { outcome: 'dropped' };
        return { outcome: outcome.watch.leaseMs === 0 ? 'unwatch' : 'watch' };
      }
      if (!identity.roster()) return { outcome: 'dropped' };
      const outcome = board.receive(token);
      if (outcome === 'state') {
        board.reachabilityChanged();
        pushBoard();
      } else if (outcome === 'dropped') pushBoard();
      return { outcome };
    },

    floorWatch({ end }) {
      const me = identity.thisDesk();
      const roster = identity.roster();
      const who = identity.signedIn();
      if (!roster || !me || !who || !mayWatch(roster.people.find((p) => p.id === who.person.id))) {
        return { messages: [], renewInMs: null };
      }
      const sentAt = now();
      const messages: FloorMessage[] = roster.desks
        .filter((desk) => desk.id !== me.id)
        .map((desk) => {
          const watch: WatchPayload = {
            kind: 'watch',
            v: 1,
            person: who.person.id,
            watcherDesk: me.id,
            deskId: desk.id,
            sentAt,
            nonce: randomBytes(16).toString('base64url'),
            leaseMs: end ? 0 : WATCH_LEASE_MS,
          };
          return { to: desk.sipUri, token: signToken(watch, who.key) };
        });
      return { messages, renewInMs: end ? null : Math.floor(WATCH_LEASE_MS / 3) };
    },

    getFloorBoard: () => board.view(),

    floorClearAll({ desks, confirm }) {
      const result = clearance.command({ desks, confirm });
      if (result.ok) return { messages: result.messages, status: result.status };
      const why: Record<typeof result.reason, string> = {
        'no-roster': 'This desk has no team roster, or is not in it.',
        'not-signed-in': 'Nobody is signed in at this desk: only a shift lead may clear the floor.',
        'role-not-allowed': 'Only a shift lead may clear the floor.',
        'unknown-desk': 'A desk named is not in the team roster (or is this desk: clear it from End of day).',
        'no-desks': 'The team roster has no other desk to clear.',
        confirm: 'Type the number of desks to clear to confirm.',
      };
      throw new ApiError(result.reason === 'confirm' || result.reason === 'unknown-desk' ? 'invalid-argument' : 'not-allowed', why[result.reason], [result.reason]);
    },

    floorClearanceUnsent: ({ deskId, nonce }) => clearance.unsent(deskId, nonce),

    getFloorClearance: () => clearance.status(),
  };

  return {
    handlers,
    clearance,
    sweep,
    close: () => clearInterval(timer),
  };
}

/** The `kind` a token's payload claims, unverified: only to route it to the check that verifies it. */
function peekKind(token: string): string | null {
  const dot = token.indexOf('.');
  if (dot < 1 || dot > 4_000) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null && 'kind' in json && typeof json.kind === 'string' ? json.kind : null;
  } catch {
    return null;
  }
}

/**
 * What a desk tells the floor about itself (issue 9 §4), derived from the line's calls and the note
 * of the last call: no caller data ever — the call is named by an opaque call ref, the client by the
 * directory's id and name. The main process adds the rest (desk, person, outbox) and signs it.
 */
import type { DeskActivity, LineHealth } from '../../../shared/floor/wire.js';
import type { FloorReportArgs } from '../../../shared/ipc/floor-contract.js';
import type { CallInfo, Registration } from '../line/types.js';
import { newCallRef } from './call-ref.js';

export interface DeskFacts {
  /** The line's calls (null: no line paired, a training desk). */
  calls: readonly CallInfo[] | null;
  registration: Registration | null;
  /** The client a call is for, once its pop is known (null: not a directory number). */
  clientOf(call: CallInfo): { id: string; name: string } | null;
  /** A note of the last call is open and not handed off yet (wrap-up). */
  noteOpen: boolean;
  /** Calls a supervisor is listening in on (the monitor engineer's sessions). */
  monitored?: ReadonlySet<string>;
}

/** Mints one call ref per live call and forgets it when the call is gone (bounded by the line's calls). */
export class CallRefBook {
  private readonly refs = new Map<string, string>();

  refOf(callId: string): string {
    let ref = this.refs.get(callId);
    if (!ref) {
      ref = newCallRef();
      this.refs.set(callId, ref);
    }
    return ref;
  }

  keepOnly(callIds: Iterable<string>): void {
    const keep = new Set(callIds);
    for (const id of this.refs.keys()) if (!keep.has(id)) this.refs.delete(id);
  }

  /** The live call a ref names (for a monitor request), if any. */
  callOf(ref: string): string | undefined {
    for (const [id, r] of this.refs) if (r === ref) return id;
    return undefined;
  }
}

export function lineHealthOf(registration: Registration | null): LineHealth {
  if (registration === null) return 'training';
  if (registration === 'registered') return 'registered';
  return registration === 'failed' ? 'failed' : 'connecting';
}

/**
 * The desk's activity: talking while a call is answered (on hold included), else ringing while one
 * rings, else wrap-up while the last call's note is open, else idle. `since` is the call's own time
 * for a call, else when the activity last changed (`previous`).
 */
export function deskReport(facts: DeskFacts, refs: CallRefBook, previous: FloorReportArgs | null, now: number): FloorReportArgs {
  const live = (facts.calls ?? []).filter((c) => c.state !== 'ended');
  refs.keepOnly(live.map((c) => c.id));
  const answered = live.find((c) => c.state === 'active') ?? live.find((c) => c.state === 'held');
  const ringing = live.find((c) => c.state === 'ringing' && c.direction === 'incoming');
  const call = answered ?? ringing;
  const activity: DeskActivity = answered ? 'talking' : ringing ? 'ringing' : facts.noteOpen ? 'wrap-up' : 'idle';
  const since = call
    ? (call.state === 'ringing' ? call.startedAt : (call.answeredAt ?? call.startedAt))
    : previous && previous.activity === activity
      ? previous.since
      : now;
  return {
    activity,
    since: Math.max(0, Math.floor(since)),
    call: call
      ? {
          ref: refs.refOf(call.id),
          client: facts.clientOf(call),
          onHold: call.state === 'held',
          monitored: facts.monitored?.has(call.id) ?? false,
        }
      : null,
    line: lineHealthOf(facts.registration),
  };
}

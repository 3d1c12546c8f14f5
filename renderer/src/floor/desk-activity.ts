/**
 * What a desk tells the floor about itself (issue 9 §4), derived from the line's calls and the note
 * of the last call: no caller data ever — the call is named by an opaque call ref, the client by the
 * directory's id and name. The main process adds the rest (desk, person, outbox) and signs it.
 */
import type { DeskActivity, LineHealth } from '../../../shared/floor/wire.js';
import type { FloorReportArgs } from '../../../shared/ipc/floor-contract.js';
import type { CallInfo, MonitorInfo, Registration } from '../line/types.js';

export interface DeskFacts {
  /** The line's calls (null: no line paired, a training desk). */
  calls: readonly CallInfo[] | null;
  registration: Registration | null;
  /** The client a call is for, once its pop is known (null: not a directory number). */
  clientOf(call: CallInfo): { id: string; name: string } | null;
  /** A note of the last call is open and not handed off yet (wrap-up). */
  noteOpen: boolean;
  /** The line's monitor sessions: a call of this desk with a supervisor's session up is reported monitored. */
  monitors?: readonly MonitorInfo[];
}

export function lineHealthOf(registration: Registration | null): LineHealth {
  if (registration === null) return 'training';
  if (registration === 'registered') return 'registered';
  return registration === 'failed' ? 'failed' : 'connecting';
}

/**
 * The desk's activity: talking while a call is answered (on hold included), else ringing while one
 * rings, else wrap-up while the last call's note is open, else idle. `since` is the call's own time
 * for a call, else when the activity last changed (`previous`). The call is named by the ref the line
 * minted for it (CallInfo.ref): the very name a monitor request for it must carry.
 */
export function deskReport(facts: DeskFacts, previous: FloorReportArgs | null, now: number): FloorReportArgs {
  const live = (facts.calls ?? []).filter((c) => c.state !== 'ended');
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
          ref: call.ref,
          client: facts.clientOf(call),
          onHold: call.state === 'held',
          monitored: (facts.monitors ?? []).some((m) => m.direction === 'incoming' && m.state === 'active' && m.callId === call.id),
        }
      : null,
    line: lineHealthOf(facts.registration),
  };
}

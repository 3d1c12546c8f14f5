/**
 * Scheduled clearance and what the operator sees of clearance (issue 10 §5, §6), on the API of any
 * desk: the page's busy reports (the scheduler waits for idle), the notice (the last clearance until
 * dismissed, and "needs attention"), and the scheduler itself, wired to the roster's policy, the
 * desk's sealed store, the notes and the clearance engine.
 *
 * The scheduled clearance runs as `{ role: 'schedule' }` with no settlements: it clears only a desk
 * holding nothing undelivered (the engine refuses otherwise), and names no person in its record.
 */
import { z } from 'zod';
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import { BUSY_LEASE_MS } from '../../../shared/ipc/desk-clearance-contract.js';
import type { ClearanceNotice, ClearedNotice } from '../../../shared/clearance/notice.js';
import type { DeletionRecord } from '../../../shared/clearance/schema.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import type { DeskAttention } from './clearance/attention.js';
import { clearDesk, undeliveredItems } from './clearance/clearance.js';
import { lastRecord } from './clearance/deletion-record.js';
import { createClearanceScheduler, SCHEDULE_STATE_KEY, ScheduleState, type ClearanceScheduler, type SchedulerDeps } from './clearance/scheduler.js';
import type { DeskContext } from './desk-context.js';

export type DeskClearanceHandlers = Pick<ApiHandlers, 'reportDeskBusy' | 'getClearanceNotice' | 'dismissClearanceNotice'>;

/** The sealed store's key of the last notice the operator dismissed (a record seq). */
export const NOTICE_DISMISSED_KEY = 'clearance.noticeDismissed';

export interface DeskClearance {
  handlers: DeskClearanceHandlers;
  scheduler: ClearanceScheduler;
}

export interface DeskClearanceOptions {
  attention: DeskAttention;
  /** Tells the page to ask for the notice again. */
  notify: () => void;
  /** Tests pass their own timers. */
  timers?: Pick<SchedulerDeps, 'setTimer' | 'clearTimer' | 'intervalMs'>;
}

export function createDeskClearance(ctx: DeskContext, options: DeskClearanceOptions): DeskClearance {
  const identity = ctx.options.floorIdentity ?? ctx.floor;
  const { attention, notify } = options;
  const dataDir = ctx.options.dataDir;
  let busyUntil = 0;
  // Without a sealed store (no keychain) nothing is remembered: the notice shows until restart.
  let dismissedInMemory = 0;

  const store = ctx.store;
  const dismissed = (): number => store?.get(NOTICE_DISMISSED_KEY, z.number().int().min(0)) ?? dismissedInMemory;

  function readLast(): DeletionRecord | null {
    try {
      return lastRecord(dataDir);
    } catch {
      // An unreadable record is the shift lead's matter (listDeletionRecords names it), not the operator's.
      return null;
    }
  }

  function clearedNotice(record: DeletionRecord): ClearedNotice {
    const by: ClearedNotice['by'] =
      'personId' in record.by
        ? { kind: 'person', role: record.by.role, name: identity.roster()?.people.find((p) => p.id === (record.by as { personId: string }).personId)?.name ?? null }
        : { kind: 'schedule' };
    return { seq: record.seq, at: record.at, by, late: record.schedule?.late ?? false, due: record.schedule?.due ?? null };
  }

  function notice(): ClearanceNotice {
    const last = readLast();
    return { cleared: last && last.seq > dismissed() ? clearedNotice(last) : null, attention: attention.current() };
  }

  const scheduler = createClearanceScheduler({
    policy: () => identity.roster()?.policy.clearance ?? null,
    now: () => ctx.now().getTime(),
    state: {
      load: () => store?.get(SCHEDULE_STATE_KEY, ScheduleState) ?? null,
      save: (s) => store?.set(SCHEDULE_STATE_KEY, s),
    },
    lastClearedAt: () => {
      const at = readLast()?.at;
      return at === undefined ? null : Date.parse(at);
    },
    busy: () => ctx.now().getTime() < busyUntil,
    undelivered: () => {
      const port = ctx.notesPort;
      if (!port) return null;
      const items = undeliveredItems(port.notes(), port.jobs());
      return { undelivered: items.length, failed: items.filter((i) => i.state === 'failed').length };
    },
    async clear(schedule) {
      const port = ctx.notesPort;
      const desk = identity.thisDesk();
      if (!port) throw new ApiError('keychain-unavailable', 'The vault is not open on this desk.');
      if (!desk) throw new ApiError('not-allowed', 'This desk is not in the team roster, so it cannot sign a deletion record.');
      const deskKey = identity.deskKey();
      return port.suspended((deps, held) =>
        clearDesk(deps, { notes: held.notes, jobs: held.jobs, settlements: [], confirmedBy: { role: 'schedule' }, schedule, deskId: desk.id, deskKey }),
      );
    },
    attention,
    log: ctx.log,
    onCleared: () => {
      attention.resolve();
      notify();
    },
    ...options.timers,
  });
  attention.onChange(notify);

  const handlers: DeskClearanceHandlers = {
    reportDeskBusy({ call, typing }) {
      const wasBusy = ctx.now().getTime() < busyUntil;
      busyUntil = call || typing ? ctx.now().getTime() + BUSY_LEASE_MS : 0;
      // Idle again: a clearance that waited for it runs now.
      if (wasBusy && busyUntil === 0 && scheduler.pending() !== null) void scheduler.check();
      return { leaseMs: busyUntil === 0 ? 0 : BUSY_LEASE_MS };
    },
    getClearanceNotice: () => notice(),
    dismissClearanceNotice({ seq }) {
      const last = readLast();
      if (!last || seq !== last.seq) throw new ApiError('invalid-argument', 'That is not the desk\'s last clearance.');
      dismissedInMemory = Math.max(dismissedInMemory, seq);
      store?.set(NOTICE_DISMISSED_KEY, Math.max(dismissed(), seq));
      return notice();
    },
  };
  return { handlers, scheduler };
}

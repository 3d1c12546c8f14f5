import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createDeskAttention } from '../../../../../electron/main/services/clearance/attention.js';
import type { DeskContext, NotesPort } from '../../../../../electron/main/services/desk-context.js';
import { createDeskClearance } from '../../../../../electron/main/services/desk-clearance-handlers.js';
import { nullLogger } from '../../../../../electron/main/services/log.js';
import type { EncryptedStore } from '../../../../../electron/main/services/secure-store.js';
import { BUSY_LEASE_MS } from '../../../../../shared/ipc/desk-clearance-contract.js';
import { fixtureIdentity, makeRoster, type RosterFixture } from '../../../../support/roster-fixture.js';

/** 22:00 Tokyo on 2026-12-05. */
const DUE = Date.parse('2026-12-05T13:00:00Z');
let fixture: RosterFixture;
const dirs: string[] = [];

beforeAll(async () => {
  fixture = await makeRoster({
    desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.test' }],
    people: [{ id: 'op-001', roles: ['operator'], secret: '2468' }],
    policy: { clearance: { dailyAt: '22:00', timeZone: 'Asia/Tokyo' } },
  });
});
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function memoryStore(): EncryptedStore {
  const values = new Map<string, unknown>();
  return {
    path: ':memory:',
    get: <T>(key: string, schema: z.ZodType<T>) => {
      const parsed = schema.safeParse(values.get(key));
      return parsed.success ? parsed.data : undefined;
    },
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
    clear: () => values.clear(),
  };
}

/** A desk's clearance wiring on a fake notes port that counts the clearances it is asked for. */
function deskAt(start: number) {
  let now = start;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-desk-clearance-'));
  dirs.push(dataDir);
  let clearances = 0;
  const port: NotesPort = {
    notes: () => [],
    jobs: () => [],
    sendAgain: () => undefined,
    sendByFallback: () => undefined,
    suspended: async () => {
      clearances++;
      return { seq: clearances } as never;
    },
  };
  const ctx = {
    options: { dataDir, floorIdentity: fixtureIdentity(fixture, 'desk-01') },
    now: () => new Date(now),
    log: nullLogger,
    store: memoryStore(),
    notesPort: port,
  } as unknown as DeskContext;
  const notified: string[] = [];
  const wiring = createDeskClearance(ctx, {
    attention: createDeskAttention(() => now),
    notify: () => notified.push('notice'),
    timers: { setTimer: () => null, clearTimer: () => undefined },
  });
  return {
    ...wiring,
    clearances: () => clearances,
    notified,
    setNow(t: number) {
      now = t;
    },
  };
}

describe('the scheduled clearance on a running desk', () => {
  it('waits while the page reports a call or a note being typed, and runs as soon as it reports idle', async () => {
    const desk = deskAt(DUE - 60_000);
    await desk.scheduler.start();
    expect(desk.handlers.reportDeskBusy({ call: true, typing: false })).toEqual({ leaseMs: BUSY_LEASE_MS });
    desk.setNow(DUE + 1_000);
    expect(await desk.scheduler.check()).toBe('busy');
    expect(desk.handlers.reportDeskBusy({ call: false, typing: true })).toEqual({ leaseMs: BUSY_LEASE_MS });
    expect(await desk.scheduler.check()).toBe('busy');
    expect(desk.clearances()).toBe(0);
    // Idle: the waiting clearance runs at once (not at the next look).
    expect(desk.handlers.reportDeskBusy({ call: false, typing: false })).toEqual({ leaseMs: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(desk.clearances()).toBe(1);
    expect(desk.notified).toContain('notice');
  });

  it('does not wait for good on a page that stopped reporting: busy lapses after its lease', async () => {
    const desk = deskAt(DUE - 60_000);
    await desk.scheduler.start();
    desk.handlers.reportDeskBusy({ call: true, typing: false });
    desk.setNow(DUE + BUSY_LEASE_MS - 120_000);
    expect(await desk.scheduler.check()).toBe('busy');
    desk.setNow(DUE + BUSY_LEASE_MS + 1);
    expect(await desk.scheduler.check()).toBe('cleared');
    expect(desk.clearances()).toBe(1);
  });

  it('refuses to dismiss a notice of a clearance that is not the last', () => {
    const desk = deskAt(DUE);
    expect(() => desk.handlers.dismissClearanceNotice({ seq: 1 })).toThrow(/last clearance/);
    expect(desk.handlers.getClearanceNotice(undefined)).toEqual({ cleared: null, attention: null });
  });
});

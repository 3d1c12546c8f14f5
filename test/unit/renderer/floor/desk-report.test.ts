import { describe, expect, it, vi } from 'vitest';
import type { CallInfo, MonitorInfo } from '../../../../renderer/src/line/types.js';
import type { FloorReportArgs } from '../../../../shared/ipc/floor-contract.js';
import { HEARTBEAT_MS } from '../../../../shared/floor/wire.js';
import { deskReport } from '../../../../renderer/src/floor/desk-activity.js';
import { createDeskReporter, MAX_WAIT_MS } from '../../../../renderer/src/floor/desk-reporter.js';

const CALLER = { name: '山田 太郎', number: '09012345678' };

function call(id: string, state: CallInfo['state'], over: Partial<CallInfo> = {}): CallInfo {
  return {
    id,
    ref: `ref-of-${id}-0000`,
    direction: 'incoming',
    state,
    did: '+81312345678',
    didSource: 'x-called-number',
    didProblems: [],
    caller: CALLER,
    startedAt: 1_000,
    answeredAt: state === 'active' || state === 'held' ? 2_000 : null,
    endedAt: null,
    endReason: null,
    endStatusCode: null,
    muted: false,
    holdPending: false,
    consultFor: null,
    consultation: null,
    noAudio: false,
    ...over,
  } as CallInfo;
}

const acme = { id: 'acme', name: 'アクメ商事' };
const facts = (calls: CallInfo[] | null, noteOpen = false) => ({ calls, registration: calls ? ('registered' as const) : null, clientOf: () => acme, noteOpen });

describe('the desk state a desk reports', () => {
  it('says ringing, then talking (with hold), then wrap-up while the note is open, then idle — never the caller', () => {
    const ringing = deskReport(facts([call('c1', 'ringing')]), null, 5_000);
    expect(ringing).toMatchObject({ activity: 'ringing', since: 1_000, call: { client: acme, onHold: false }, line: 'registered' });
    const talking = deskReport(facts([call('c1', 'active')]), ringing, 6_000);
    expect(talking).toMatchObject({ activity: 'talking', since: 2_000, call: { ref: ringing.call?.ref } });
    expect(deskReport(facts([call('c1', 'held')]), talking, 7_000).call?.onHold).toBe(true);
    const wrapUp = deskReport(facts([call('c1', 'ended')], true), talking, 8_000);
    expect(wrapUp).toMatchObject({ activity: 'wrap-up', since: 8_000, call: null });
    expect(deskReport(facts([], true), wrapUp, 9_000).since).toBe(8_000);
    expect(deskReport(facts([]), wrapUp, 9_500)).toMatchObject({ activity: 'idle', since: 9_500 });
    for (const state of [ringing, talking, wrapUp]) {
      const text = JSON.stringify(state);
      expect(text).not.toContain(CALLER.number);
      expect(text).not.toContain(CALLER.name);
      expect(text).not.toContain('+81312345678');
    }
  });

  it('names the call by the ref the line minted for it (the one a monitor request names), and says monitored while a supervisor’s session on it is up', () => {
    const session = (over: Partial<MonitorInfo>): MonitorInfo => ({
      id: 'mon-in-1',
      direction: 'incoming',
      callId: 'c2',
      callRef: 'ref-of-c2-0000',
      mode: 'listen',
      state: 'active',
      tellOperator: false,
      endStatusCode: null,
      ...over,
    });
    const calls = [call('c1', 'ended'), call('c2', 'active')];
    const plain = deskReport(facts(calls), null, 0);
    expect(plain.call).toMatchObject({ ref: 'ref-of-c2-0000', monitored: false });
    expect(deskReport({ ...facts(calls), monitors: [session({})] }, null, 0).call?.monitored).toBe(true);
    // connecting, ended, another call's, or this desk's own outgoing session: not monitored
    for (const other of [session({ state: 'connecting' }), session({ state: 'ended' }), session({ callId: 'c1' }), session({ direction: 'outgoing', callId: null })]) {
      expect(deskReport({ ...facts(calls), monitors: [other] }, null, 0).call?.monitored).toBe(false);
    }
  });

  it('is a training line without a paired line', () => {
    expect(deskReport(facts(null), null, 0)).toMatchObject({ activity: 'idle', line: 'training' });
  });
});

describe('the desk reporter', () => {
  const idle: FloorReportArgs = { activity: 'idle', since: 0, call: null, line: 'registered' };
  const ringing: FloorReportArgs = { ...idle, activity: 'ringing', since: 1 };

  function harness() {
    vi.useFakeTimers();
    const reported: FloorReportArgs[] = [];
    const sent: string[] = [];
    const reporter = createDeskReporter({
      report: (args) => {
        reported.push(args);
        return Promise.resolve({ messages: [{ to: 'sip:sup@kotozute.test', token: `t${reported.length}` }] });
      },
      send: (to, token) => {
        sent.push(`${to} ${token}`);
        return Promise.resolve();
      },
      now: () => Date.now(),
    });
    return { reported, sent, reporter };
  }

  it('sends a change within MAX_WAIT_MS even while changes keep coming, and each distinct state once', async () => {
    const { reported, sent, reporter } = harness();
    const start = Date.now();
    try {
      reporter.update(idle);
      for (let i = 0; i < 10; i++) {
        reporter.update({ ...ringing, since: i });
        await vi.advanceTimersByTimeAsync(10);
        if (reported.length > 0) break;
      }
      expect(reported).toHaveLength(1);
      // the fake clock: the first change went out no later than MAX_WAIT_MS after it
      expect(Date.now() - start).toBeLessThanOrEqual(MAX_WAIT_MS + 10);
      expect(reported[0]?.activity).toBe('ringing');
      await vi.advanceTimersByTimeAsync(100);
      reporter.update(reported.at(-1)!);
      await vi.advanceTimersByTimeAsync(100);
      expect(sent.at(-1)).toMatch(/^sip:sup@kotozute.test t\d$/);
      const count = reported.length;
      reporter.update(reported.at(-1)!);
      await vi.advanceTimersByTimeAsync(100);
      expect(reported).toHaveLength(count);
    } finally {
      reporter.stop();
      vi.useRealTimers();
    }
  });

  it('re-sends the last state every heartbeat, and at once for a new watcher', async () => {
    const { reported, reporter } = harness();
    try {
      reporter.update(idle);
      await vi.advanceTimersByTimeAsync(100);
      expect(reported).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
      expect(reported).toHaveLength(2);
      reporter.resend();
      await vi.advanceTimersByTimeAsync(1);
      expect(reported).toHaveLength(3);
      expect(reported.every((r) => r.activity === 'idle')).toBe(true);
    } finally {
      reporter.stop();
      vi.useRealTimers();
    }
  });
});

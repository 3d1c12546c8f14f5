import { describe, expect, it } from 'vitest';
import { nextDue, previousDue, zoneOffset } from '../../../../../../electron/main/services/clearance/schedule.js';
import { ClearancePolicy, RosterPolicy } from '../../../../../../shared/roster/schema.js';

const tokyo = { dailyAt: '22:00', timeZone: 'Asia/Tokyo' };
const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('the daily clearance policy', () => {
  it('accepts HH:MM and an IANA zone, and refuses anything else', () => {
    expect(ClearancePolicy.safeParse(tokyo).success).toBe(true);
    expect(ClearancePolicy.safeParse({ dailyAt: '00:00', timeZone: 'Europe/London' }).success).toBe(true);
    for (const dailyAt of ['24:00', '22:60', '9:00', '22:00:00', '', '２２:００']) {
      expect(ClearancePolicy.safeParse({ dailyAt, timeZone: 'Asia/Tokyo' }).success, dailyAt).toBe(false);
    }
    for (const timeZone of ['Asia/Nowhere', 'JST+9', '', 'x'.repeat(65)]) {
      expect(ClearancePolicy.safeParse({ dailyAt: '22:00', timeZone }).success, timeZone).toBe(false);
    }
    expect(ClearancePolicy.safeParse({ ...tokyo, extra: 1 }).success).toBe(false);
  });

  it('is optional in the roster policy (older rosters carry none)', () => {
    const base = {
      kdf: { N: 2 ** 15, r: 8, p: 1 },
      secrets: { operator: { kind: 'pin', minLength: 6 }, supervisor: { kind: 'pin', minLength: 6 }, 'shift-lead': { kind: 'passphrase', minLength: 12 } },
      monitor: { listen: ['supervisor'], whisper: ['supervisor'], barge: ['shift-lead'] },
      tellOperatorWhenMonitored: true,
    };
    expect(RosterPolicy.parse(base).clearance).toBeUndefined();
    expect(RosterPolicy.parse({ ...base, clearance: tokyo }).clearance).toEqual(tokyo);
    expect(RosterPolicy.safeParse({ ...base, clearance: { dailyAt: '25:00', timeZone: 'Asia/Tokyo' } }).success).toBe(false);
  });
});

describe('when a daily clearance is due', () => {
  it('is 22:00 Tokyo time (13:00 UTC), every 24 hours: Tokyo has no DST', () => {
    // 21:59 Tokyo: the last due time was yesterday's, the next is in a minute.
    const now = at('2026-12-05T12:59:00Z');
    expect(iso(previousDue(tokyo, now))).toBe('2026-12-04T13:00:00.000Z');
    expect(iso(nextDue(tokyo, now))).toBe('2026-12-05T13:00:00.000Z');
    // Exactly at 22:00 it is due (not the next one).
    expect(iso(previousDue(tokyo, at('2026-12-05T13:00:00Z')))).toBe('2026-12-05T13:00:00.000Z');
    expect(iso(nextDue(tokyo, at('2026-12-05T13:00:00Z')))).toBe('2026-12-06T13:00:00.000Z');
    // Across the year (no DST shift anywhere in it).
    for (const day of ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01']) {
      expect(iso(nextDue(tokyo, at(`${day}T00:00:00Z`)))).toBe(`${day}T13:00:00.000Z`);
    }
  });

  it('takes the zone\'s own date: 08:00 Tokyo falls on the previous UTC day', () => {
    const early = { dailyAt: '08:00', timeZone: 'Asia/Tokyo' };
    // 2026-12-06 00:30 Tokyo = 2026-12-05 15:30 UTC: today's 08:00 Tokyo is still ahead.
    expect(iso(nextDue(early, at('2026-12-05T15:30:00Z')))).toBe('2026-12-05T23:00:00.000Z');
    expect(iso(previousDue(early, at('2026-12-05T15:30:00Z')))).toBe('2026-12-04T23:00:00.000Z');
  });

  it('follows DST: 22:00 New York is 02:00 UTC in summer and 03:00 UTC in winter', () => {
    const ny = { dailyAt: '22:00', timeZone: 'America/New_York' };
    expect(iso(nextDue(ny, at('2026-07-01T12:00:00Z')))).toBe('2026-07-02T02:00:00.000Z');
    expect(iso(nextDue(ny, at('2026-12-01T12:00:00Z')))).toBe('2026-12-02T03:00:00.000Z');
    // The day the clocks go back (2026-11-01): the day has 25 hours, still 22:00 local.
    expect(iso(nextDue(ny, at('2026-11-01T12:00:00Z')))).toBe('2026-11-02T03:00:00.000Z');
    expect(zoneOffset(at('2026-07-01T00:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
  });

  it('runs a time the spring-forward skips just past the skip, and a repeated time once', () => {
    // 2026-03-08 02:30 does not exist in New York (02:00 → 03:00): due at 03:30 EDT = 07:30 UTC.
    const skipped = { dailyAt: '02:30', timeZone: 'America/New_York' };
    expect(iso(nextDue(skipped, at('2026-03-08T05:00:00Z')))).toBe('2026-03-08T07:30:00.000Z');
    // 2026-11-01 01:30 happens twice (EDT then EST): due the first time only (05:30 UTC).
    const twice = { dailyAt: '01:30', timeZone: 'America/New_York' };
    expect(iso(nextDue(twice, at('2026-11-01T04:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(nextDue(twice, at('2026-11-01T05:30:00Z')))).toBe('2026-11-02T06:30:00.000Z');
    expect(iso(previousDue(twice, at('2026-11-01T06:45:00Z')))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('handles a zone with a half-hour offset and one ahead of UTC by 13 hours', () => {
    expect(iso(nextDue({ dailyAt: '22:00', timeZone: 'Asia/Kolkata' }, at('2026-12-05T00:00:00Z')))).toBe('2026-12-05T16:30:00.000Z');
    expect(iso(nextDue({ dailyAt: '22:00', timeZone: 'Pacific/Tongatapu' }, at('2026-12-05T00:00:00Z')))).toBe('2026-12-05T09:00:00.000Z');
  });
});

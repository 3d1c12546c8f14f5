/**
 * When a daily clearance is due (issue 10 §5): the wall-clock time `dailyAt` ("HH:MM") in an IANA
 * time zone, turned into instants with Intl alone (no time-zone table of our own).
 *
 * DST: a wall time that does not exist that day (the hour skipped in spring) is due at the same
 * distance past the skip (02:30 → 03:30); a wall time that happens twice (the hour repeated in
 * autumn) is due the first time only. Zones without DST (Asia/Tokyo) are due every 24 h exactly.
 */
import type { ClearancePolicy } from '../../../../shared/roster/schema.js';

const DAY = 86_400_000;

interface WallDate {
  year: number;
  month: number;
  day: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // Bounded: one format per zone a roster names (a site has one).
    if (formats.size > 16) formats.clear();
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at instant `t`, as the UTC instant with the same fields. */
function wallAsUtc(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatOf(timeZone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
}

/** The zone's offset from UTC at instant `t`, in ms (Tokyo: +9 h). */
export function zoneOffset(t: number, timeZone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  return wallAsUtc(whole, timeZone) - whole;
}

function wallDateOf(t: number, timeZone: string): WallDate {
  const w = new Date(wallAsUtc(t, timeZone));
  return { year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate() };
}

function parseTime(dailyAt: string): { hour: number; minute: number } {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(dailyAt);
  if (!m) throw new RangeError(`not a time of day: ${dailyAt}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** The instant the wall clock in `timeZone` reads `date` `hour:minute` (DST rules above). */
export function wallTimeToInstant(date: WallDate, hour: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // The offsets a day either side: the same unless a transition falls in between.
  const before = zoneOffset(asUtc - DAY, timeZone);
  const after = zoneOffset(asUtc + DAY, timeZone);
  const candidates = [...new Set([asUtc - before, asUtc - after])].sort((a, b) => a - b);
  const exact = candidates.filter((t) => wallAsUtc(t, timeZone) === asUtc);
  // Twice that day: the first. Never that day (skipped): the offset from before the skip, i.e. just past it.
  return exact[0] ?? asUtc - before;
}

/** The due time of `policy` on the wall date `date` in its zone. */
function dueOn(date: WallDate, policy: ClearancePolicy): number {
  const { hour, minute } = parseTime(policy.dailyAt);
  return wallTimeToInstant(date, hour, minute, policy.timeZone);
}

function shift(date: WallDate, days: number): WallDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The latest due time at or before `now` (ms since the epoch). */
export function previousDue(policy: ClearancePolicy, now: number): number {
  const today = wallDateOf(now, policy.timeZone);
  for (let back = 0; back <= 2; back++) {
    const due = dueOn(shift(today, -back), policy);
    if (due <= now) return due;
  }
  // Unreachable for any real zone (offsets stay within ±14 h); a day before is a safe answer.
  return dueOn(shift(today, -3), policy);
}

/** The first due time strictly after `now`. */
export function nextDue(policy: ClearancePolicy, now: number): number {
  const today = wallDateOf(now, policy.timeZone);
  for (let ahead = 0; ahead <= 2; ahead++) {
    const due = dueOn(shift(today, ahead), policy);
    if (due > now) return due;
  }
  return dueOn(shift(today, 3), policy);
}

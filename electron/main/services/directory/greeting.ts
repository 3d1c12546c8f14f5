/**
 * Which greeting the operator reads: the client's own clock decides (business hours and time
 * windows are written in the client's time zone), not the desk's, so a desk in another zone or a
 * laptop with a wrong TZ still reads 「本日の受付は終了しました」 at the right moment.
 */
import type { BusinessHours, Client, Weekday } from '../../../../shared/directory/schema.js';

interface LocalTime {
  /** YYYY-MM-DD in the zone. */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formatters are costly to create and a desk sees few zones, so keep one per zone. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const weekday = (parts.weekday ?? '').toLowerCase().slice(0, 3) as Weekday;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const previousDay = (d: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(d) + 6) % 7] as Weekday;

/**
 * Whether the client is open at `at`, in hours.timezone. A day whose close is not after its open
 * (22:00–06:00) runs past midnight into the next day. A closed date closes the whole local date.
 */
export function isOpen(hours: BusinessHours, at: Date): boolean {
  const now = localTime(at, hours.timezone);
  if (hours.closedDates.includes(now.date)) return false;
  const yesterday = previousDay(now.weekday);
  return hours.days.some(({ day, open, close }) => {
    const from = toMinutes(open);
    const to = toMinutes(close);
    const overnight = to <= from;
    if (day === now.weekday) return now.minutes >= from && (overnight || now.minutes < to);
    return overnight && day === yesterday && now.minutes < to;
  });
}

/** Whether `minutes` falls in [from, to); a window whose end is not after its start wraps midnight. */
function inWindow(minutes: number, from: string | undefined, to: string | undefined): boolean {
  const start = from === undefined ? 0 : toMinutes(from);
  const end = to === undefined ? 24 * 60 : toMinutes(to);
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** The greeting to read at `at`: the first variant whose every condition holds, else the default. */
export function chooseGreeting(client: Client, at: Date): string {
  const { greeting, businessHours } = client;
  if (greeting.variants.length === 0) return greeting.default;
  const minutes = localTime(at, businessHours.timezone).minutes;
  let open: boolean | undefined; // computed at most once, only if a variant asks
  for (const { when, text } of greeting.variants) {
    if (when.hours !== undefined) {
      open ??= isOpen(businessHours, at);
      if ((when.hours === 'open') !== open) continue;
    }
    if ((when.from !== undefined || when.to !== undefined) && !inWindow(minutes, when.from, when.to)) continue;
    return text;
  }
  return greeting.default;
}

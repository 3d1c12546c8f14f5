import { describe, expect, it } from 'vitest';
import { chooseGreeting, isOpen } from '../../../../../../electron/main/services/directory/greeting.js';
import { BusinessHours, Client } from '../../../../../../shared/directory/schema.js';
import { generateClient } from '../../../../../support/generate-directory.js';

/** A Tokyo office open Mon–Fri 09:00–18:00 and Sat 10:00–13:00, closed over New Year. */
const client = Client.parse({
  ...generateClient(0),
  businessHours: {
    timezone: 'Asia/Tokyo',
    days: [
      ...(['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open: '09:00', close: '18:00' })),
      { day: 'sat', open: '10:00', close: '13:00' },
    ],
    closedDates: ['2026-01-01', '2026-01-02'],
  },
  greeting: {
    default: 'お電話ありがとうございます。',
    variants: [
      { when: { hours: 'closed' }, text: '本日の受付は終了いたしました。' },
      { when: { hours: 'open', from: '09:00', to: '11:00' }, text: 'おはようございます。' },
      { when: { from: '12:00', to: '13:00' }, text: 'お昼休み中でございます。' },
    ],
  },
});

/** A moment given in Japan time, so each test reads as the operator's clock. */
const jst = (isoLocal: string) => new Date(`${isoLocal}+09:00`);

describe('greeting and business hours', () => {
  it('reads the morning greeting on a weekday morning', () => {
    expect(chooseGreeting(client, jst('2026-04-01T10:15:00'))).toBe('おはようございます。'); // Wednesday
  });

  it('reads the default greeting in the afternoon', () => {
    expect(chooseGreeting(client, jst('2026-04-01T15:00:00'))).toBe('お電話ありがとうございます。');
  });

  it('reads the time-window greeting over lunch', () => {
    expect(chooseGreeting(client, jst('2026-04-01T12:30:00'))).toBe('お昼休み中でございます。');
  });

  it('treats the closing minute as closed and the opening minute as open', () => {
    expect(isOpen(client.businessHours, jst('2026-04-01T17:59:00'))).toBe(true);
    expect(isOpen(client.businessHours, jst('2026-04-01T18:00:00'))).toBe(false);
    expect(isOpen(client.businessHours, jst('2026-04-01T09:00:00'))).toBe(true);
    expect(chooseGreeting(client, jst('2026-04-01T18:00:00'))).toBe('本日の受付は終了いたしました。');
  });

  it('is closed on Sunday and open on Saturday morning only', () => {
    expect(isOpen(client.businessHours, jst('2026-04-05T10:30:00'))).toBe(false); // Sunday
    expect(isOpen(client.businessHours, jst('2026-04-04T10:30:00'))).toBe(true); // Saturday
    expect(isOpen(client.businessHours, jst('2026-04-04T14:00:00'))).toBe(false);
  });

  it('honours closed dates even in the middle of a working day', () => {
    expect(isOpen(client.businessHours, jst('2026-01-02T10:30:00'))).toBe(false); // a Friday
    expect(chooseGreeting(client, jst('2026-01-02T10:30:00'))).toBe('本日の受付は終了いたしました。');
  });

  it("judges by the client's time zone, not the desk's", () => {
    // 15:30 on Friday in UTC, within a UTC desk's idea of office hours, is 00:30 on Saturday in Tokyo.
    expect(isOpen(client.businessHours, new Date('2026-04-03T15:30:00Z'))).toBe(false);
    // 01:30 UTC on Wednesday is 10:30 in Tokyo.
    expect(isOpen(client.businessHours, new Date('2026-04-01T01:30:00Z'))).toBe(true);
    const newYork = BusinessHours.parse({ timezone: 'America/New_York', days: [{ day: 'wed', open: '09:00', close: '17:00' }] });
    expect(isOpen(newYork, jst('2026-04-01T23:00:00'))).toBe(true); // 10:00 in New York
    expect(isOpen(newYork, jst('2026-04-01T10:00:00'))).toBe(false); // 21:00 on Tuesday there
  });

  it('keeps a night shift open past midnight into the next day', () => {
    const night = BusinessHours.parse({ timezone: 'Asia/Tokyo', days: [{ day: 'fri', open: '22:00', close: '06:00' }] });
    expect(isOpen(night, jst('2026-04-03T23:00:00'))).toBe(true); // Friday night
    expect(isOpen(night, jst('2026-04-04T05:59:00'))).toBe(true); // early Saturday
    expect(isOpen(night, jst('2026-04-04T06:00:00'))).toBe(false);
    expect(isOpen(night, jst('2026-04-03T05:00:00'))).toBe(false); // early Friday: Thursday had no shift
  });

  it('reads the default when there are no variants', () => {
    const plain = Client.parse({ ...generateClient(1), greeting: { default: 'はい、鈴木通販です。' } });
    expect(chooseGreeting(plain, jst('2026-04-05T03:00:00'))).toBe('はい、鈴木通販です。');
  });
});

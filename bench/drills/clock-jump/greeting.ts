/**
 * Greeting variants under a ±1 h jump, with the real pop builder (buildPop, as the desk calls it
 * with `at: now()`). The operator reads what the client's clock would say, so after a jump the pop
 * must show the greeting for the shifted wall clock: checked against an oracle of our own (fixed
 * offsets and the 2026 UK summer-time dates written out, no Intl) for a Tokyo client over the New
 * Year holidays and a London client across both 2026 summer-time changes. Lost: a pop that threw
 * (no greeting at all). Recovery: the jump → the pop with the shifted greeting built.
 */
import { buildPop } from '../../../electron/main/services/directory/pop-builder.js';
import { Client, type ClientInput } from '../../../shared/directory/schema.js';
import { generateClient } from '../../../test/support/generate-directory.js';
import type { BenchResult } from '../../harness.js';
import { drillRows } from '../drill-harness.js';
import { directionOf, HOUR, jumpOf } from './sim-clock.js';

const TEXT = { closed: '本日の受付は終了しました', morning: 'おはようございます', afternoon: 'こんにちは', other: 'お電話ありがとうございます' } as const;
type Said = keyof typeof TEXT;

interface Case {
  client: Client;
  /** The instants a trial starts from. */
  from: number;
  to: number;
  /** The zone's offset from UTC at an instant, ms. */
  offset(t: number): number;
  /** [weekday 0 = Sunday, open minute, close minute) spans. */
  open: readonly (readonly [number, number, number])[];
  closedDates: readonly string[];
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function clientWith(id: number, timezone: string, open: Case['open'], closedDates: readonly string[]): Client {
  const base: ClientInput = generateClient(id);
  return Client.parse({
    ...base,
    id: `greeting-${id}`,
    businessHours: { timezone, days: open.map(([d, o, c]) => ({ day: WEEKDAYS[d]!, open: hhmm(o), close: hhmm(c) })), closedDates: [...closedDates] },
    greeting: {
      default: TEXT.other,
      variants: [
        { when: { hours: 'closed' }, text: TEXT.closed },
        { when: { from: '09:00', to: '12:00' }, text: TEXT.morning },
        { when: { from: '12:00', to: '18:00' }, text: TEXT.afternoon },
      ],
    },
  });
}

const WEEK_9_TO_6: Case['open'] = [1, 2, 3, 4, 5].map((d) => [d, 540, 1080] as const);
const TOKYO_OPEN: Case['open'] = [...WEEK_9_TO_6, [6, 600, 720]];
const TOKYO_CLOSED = ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'];
/** Open every day, and on Sunday nights over the hour the clocks change too. */
const LONDON_OPEN: Case['open'] = [...[0, 1, 2, 3, 4, 5, 6].map((d) => [d, 540, 1080] as const), [0, 30, 180]];
const BST = [Date.parse('2026-03-29T01:00:00Z'), Date.parse('2026-10-25T01:00:00Z')] as const;

const CASES: readonly Case[] = [
  {
    client: clientWith(1, 'Asia/Tokyo', TOKYO_OPEN, TOKYO_CLOSED),
    from: Date.parse('2026-12-25T15:00:00Z'),
    to: Date.parse('2027-01-06T15:00:00Z'),
    offset: () => 9 * HOUR,
    open: TOKYO_OPEN,
    closedDates: TOKYO_CLOSED,
  },
  ...[BST[0], BST[1]].map(
    (change): Case => ({
      client: clientWith(2, 'Europe/London', LONDON_OPEN, []),
      from: change - 6 * HOUR,
      to: change + 18 * HOUR,
      offset: (t) => (t >= BST[0] && t < BST[1] ? HOUR : 0),
      open: LONDON_OPEN,
      closedDates: [],
    }),
  ),
];

/** What the client's clock says at `t`, and so which greeting: worked out without Intl. */
function expected(c: Case, t: number): { said: Said; open: boolean } {
  const local = new Date(t + c.offset(t));
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  const open =
    !c.closedDates.includes(local.toISOString().slice(0, 10)) && c.open.some(([d, o, cl]) => d === local.getUTCDay() && minutes >= o && minutes < cl);
  if (!open) return { said: 'closed', open };
  return { said: minutes >= 540 && minutes < 720 ? 'morning' : minutes >= 720 && minutes < 1080 ? 'afternoon' : 'other', open };
}

export function greetingRows(trials: number): BenchResult[] {
  let threw = 0;
  const wrong: string[] = [];
  const recovery: number[] = [];
  const caller = { name: 'ヤマダ', number: '09012345678' };
  for (let t = 0; t < trials; t++) {
    const c = CASES[t % CASES.length]!;
    const real = c.from + Math.floor(Math.random() * (c.to - c.from));
    for (const [when, at] of [
      ['before', real],
      ['after', real + jumpOf(t)],
    ] as const) {
      const started = performance.now();
      try {
        const pop = buildPop({ client: c.client, did: c.client.dids[0]!, caller, callId: `greet-${t}`, training: true, at: new Date(at) });
        if (when === 'after') recovery.push(performance.now() - started);
        const want = expected(c, at);
        if (pop.greeting !== TEXT[want.said] || pop.open !== want.open) {
          wrong.push(`${c.client.businessHours.timezone} ${new Date(at).toISOString()} ${when} a ${directionOf(t)} jump: "${pop.greeting}" (open ${pop.open}), expected "${TEXT[want.said]}" (open ${want.open})`);
        }
      } catch {
        threw += 1;
      }
    }
  }
  process.stdout.write(`  greeting: ${trials} jumps: ${wrong.length} wrong greeting(s), ${threw} pop(s) that threw\n`);
  for (const w of wrong.slice(0, 5)) process.stdout.write(`    ${w}\n`);
  const name = 'drill:clock-jump:greeting';
  return [
    ...drillRows(name, { trials, trialsUnit: 'jumps', lost: threw, duplicates: null, recoveryMs: recovery, recoveryWhat: 'jump → pop with the shifted greeting built' }),
    { name, metric: "greetings not the shifted clock's", value: wrong.length, unit: 'pops', target: 0 },
  ];
}

// Desk states through a real Kamailio: desks (the renderer's line and reporter in Node, the main
// process's floor service with a roster desk key) report to a supervisor desk that watches them;
// the board shows what each desk does, and states that are forged, unsigned or from a desk outside
// the roster are dropped and counted. A rogue is a plain sip.js user agent registered on the server.
import { Messager, UserAgent } from 'sip.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLOOR_CONTENT_TYPE, UNREACHABLE_AFTER_MS, type DeskStatePayload } from '../../../shared/floor/wire.js';
import type { FloorBoardView, FloorReportArgs } from '../../../shared/ipc/floor-contract.js';
import type { SipUser } from '../../support/kamailio.js';
import { makeRoster, type RosterFixture } from '../../support/roster-fixture.js';
import { signToken } from '../../../electron/main/services/floor/floor-token.js';
import { generateEd25519 } from '../../../electron/main/services/roster/ed25519.js';
import { startFloorDesk, type FloorDesk } from '../../support/floor-desk.js';
import { sleep, useLineHarness } from '../line/line-fixture.js';

const h = useLineHarness();
let users: Record<'sup' | 'desk1' | 'desk2', SipUser>;
let fixture: RosterFixture;

beforeAll(async () => {
  const kam = h.kam();
  users = { sup: await kam.newUser('sup'), desk1: await kam.newUser('desk'), desk2: await kam.newUser('desk') };
  const uri = (u: SipUser) => `sip:${u.user}@${kam.domain}`;
  fixture = await makeRoster({
    desks: [
      { id: 'sup-01', sipUri: uri(users.sup), name: '監督席' },
      { id: 'desk-01', sipUri: uri(users.desk1), name: '1番席' },
      { id: 'desk-02', sipUri: uri(users.desk2), name: '2番席' },
    ],
    people: [
      { id: 'sato', roles: ['operator'], secret: '4821', name: '佐藤' },
      { id: 'suzuki', roles: ['supervisor'], secret: 'correct horse battery', name: '鈴木' },
    ],
  });
}, 30_000);

/** One desk as the app wires it (test/support/floor-desk.ts), stopped by the line harness's hooks too. */
async function floorDesk(deskId: string, user: SipUser, person: string, clock: () => number = Date.now): Promise<FloorDesk> {
  return startFloorDesk({ server: { wsUrl: h.kam().wsUrl, domain: h.kam().domain }, user, fixture, deskId, person, now: clock });
}

async function watchAll(sup: FloorDesk): Promise<void> {
  const { messages } = await sup.floor.handlers.floorWatch({ end: false });
  await Promise.all(messages.map((m) => sup.line.sendFloorMessage(m.to, m.token)));
}

async function boardUntil(sup: FloorDesk, what: string, predicate: (board: FloorBoardView) => boolean, timeoutMs = 5_000): Promise<FloorBoardView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const board = await sup.floor.handlers.getFloorBoard(undefined);
    if (predicate(board)) return board;
    if (Date.now() > deadline) throw new Error(`board never showed ${what}: ${JSON.stringify(board.rows.map((r) => [r.deskId, r.reachable, r.state?.activity]))}`);
    await sleep(25);
  }
}

const rowOf = (board: FloorBoardView, deskId: string) => board.rows.find((r) => r.deskId === deskId);
const base: FloorReportArgs = { activity: 'idle', since: Date.now(), call: null, line: 'registered' };
const onCall = (over: Partial<NonNullable<FloorReportArgs['call']>> = {}): FloorReportArgs['call'] => ({
  ref: 'AAAAAAAAAAAAAAAAAAAAAA',
  client: { id: 'acme', name: 'アクメ商事' },
  onHold: false,
  monitored: false,
  ...over,
});

describe('desk states through Kamailio', () => {
  it('reach the supervisor that watches: ringing, talking, on hold, wrap-up, idle, each on its desk row', async () => {
    const sup = await floorDesk('sup-01', users.sup, 'suzuki');
    const d1 = await floorDesk('desk-01', users.desk1, 'sato');
    const d2 = await floorDesk('desk-02', users.desk2, 'sato');
    try {
      // Before any watch a desk sends nothing: main names no watcher.
      expect((await d1.floor.handlers.floorReport(base)).messages).toEqual([]);
      d1.reporter.update(base);
      d2.reporter.update(base);
      await watchAll(sup);
      // The watch makes each desk send its state at once (no waiting for the heartbeat).
      await boardUntil(sup, 'both desks idle', (b) => ['desk-01', 'desk-02'].every((id) => rowOf(b, id)?.state?.activity === 'idle'));

      const steps: Array<[FloorReportArgs, (s: DeskStatePayload) => boolean]> = [
        [{ ...base, activity: 'ringing', call: onCall() }, (s) => s.activity === 'ringing'],
        [{ ...base, activity: 'talking', call: onCall() }, (s) => s.activity === 'talking' && s.call?.client?.name === 'アクメ商事'],
        [{ ...base, activity: 'talking', call: onCall({ onHold: true }) }, (s) => s.activity === 'talking' && s.call?.onHold === true],
        [{ ...base, activity: 'wrap-up' }, (s) => s.activity === 'wrap-up' && s.call === null],
        [{ ...base, activity: 'idle', since: Date.now() }, (s) => s.activity === 'idle'],
      ];
      for (const [state, shows] of steps) {
        d1.reporter.update(state);
        const board = await boardUntil(sup, state.activity, (b) => {
          const s = rowOf(b, 'desk-01')?.state;
          return s !== null && s !== undefined && shows(s);
        });
        expect(rowOf(board, 'desk-01')).toMatchObject({ operator: '佐藤', reachable: true });
        expect(rowOf(board, 'desk-02')?.state?.activity).toBe('idle');
      }
      expect(sup.boards.length).toBeGreaterThan(0);
      expect(Object.values((await sup.floor.handlers.getFloorBoard(undefined)).dropped).every((n) => n === 0)).toBe(true);
    } finally {
      await Promise.all([sup, d1, d2].map((d) => d.stop()));
    }
  });

  it('drops and counts forged, unsigned and unknown-desk states from a rogue on the server, leaving the board as it was', async () => {
    const sup = await floorDesk('sup-01', users.sup, 'suzuki');
    const rogue = await h.caller('rogue');
    await rogue.ua.register();
    try {
      const target = UserAgent.makeURI(`sip:${users.sup.user}@${h.kam().domain}`)!;
      const send = (body: string, contentType = FLOOR_CONTENT_TYPE) => new Messager(rogue.ua.ua, target, body, contentType).message();
      const now = Date.now();
      const state: DeskStatePayload = {
        kind: 'desk-state', v: 1, deskId: 'desk-02', seq: now, sentAt: now, person: 'sato', activity: 'talking', since: now,
        call: { ref: 'BBBBBBBBBBBBBBBBBBBBBB', client: null, onHold: false, monitored: false }, outbox: { pending: 0, failed: 0 }, line: 'registered',
      };
      const stranger = generateEd25519().privateKey;
      await send(signToken(state, stranger)); // desk-02 named, not its key
      await send(signToken({ ...state, deskId: 'desk-99' }, stranger)); // a desk the roster lacks
      await send(signToken(state, stranger).split('.')[0] ?? ''); // unsigned
      await send(`${signToken(state, fixture.deskKeys.get('desk-02')!).slice(0, -3)}AAA`); // signature tampered
      // Not a floor message: the line answers 415 itself, main never sees it.
      const status = await new Promise<number>((resolve) => {
        void new Messager(rogue.ua.ua, target, 'hello', 'text/plain').message({
          requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0), onReject: (r) => resolve(r.message.statusCode ?? 0) },
        });
      });
      expect(status).toBe(415);
      const board = await boardUntil(sup, 'four drops', (b) => Object.values(b.dropped).reduce((x, y) => x + y, 0) === 4);
      expect(board.dropped).toMatchObject({ 'bad-signature': 2, 'unknown-signer': 1, malformed: 1 });
      expect(rowOf(board, 'desk-02')?.state).toBeNull();
      expect(sup.boards.at(-1)?.dropped['bad-signature']).toBe(2);
      // and a state really signed by desk-02's key is taken
      await send(signToken(state, fixture.deskKeys.get('desk-02')!));
      await boardUntil(sup, 'desk-02 talking', (b) => rowOf(b, 'desk-02')?.state?.activity === 'talking');
    } finally {
      await sup.stop();
    }
  });

  it('shows a desk that stopped reporting as unreachable once it was silent for UNREACHABLE_AFTER_MS', async () => {
    let skew = 0;
    const sup = await floorDesk('sup-01', users.sup, 'suzuki', () => Date.now() + skew);
    const d1 = await floorDesk('desk-01', users.desk1, 'sato');
    try {
      d1.reporter.update({ ...base, activity: 'talking', call: onCall() });
      await watchAll(sup);
      await boardUntil(sup, 'desk-01 talking', (b) => rowOf(b, 'desk-01')?.reachable === true && rowOf(b, 'desk-01')?.state?.activity === 'talking');
      // The desk goes away (its line down, as when its computer is switched off).
      await d1.stop();
      skew = UNREACHABLE_AFTER_MS;
      const before = sup.boards.length;
      sup.floor.sweep();
      expect(sup.boards.length).toBe(before + 1);
      expect(rowOf(sup.boards.at(-1)!, 'desk-01')).toMatchObject({ reachable: false, state: { activity: 'talking' } });
    } finally {
      await Promise.all([sup.stop(), d1.stop()]);
    }
  });
});

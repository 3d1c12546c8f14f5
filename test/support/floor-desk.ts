// A desk on the floor, as the app wires one, running in Node: the renderer's line (signalling-only
// stub media) carries floor MESSAGEs through a real SIP server, the renderer's reporter sends its
// state, and the main process's floor service — with a roster desk key from a fixture — signs states
// and checks watches. Integration tests, the board end-to-end test and the floor benchmark use it to
// stand in for operator desks (and, in integration, for the supervisor desk too).
import { sendReply } from '../../renderer/src/floor/send-reply.js';
import { privateSeed } from '../../electron/main/services/roster/ed25519.js';
import { createFloorService, type FloorService, type FloorServiceOptions } from '../../electron/main/services/floor/floor-service.js';
import type { FloorBoardView } from '../../shared/ipc/floor-contract.js';
import { createDeskReporter, type DeskReporter } from '../../renderer/src/floor/desk-reporter.js';
import { createLine } from '../../renderer/src/line/line.js';
import type { Line } from '../../renderer/src/line/types.js';
import type { FloorFixtureFile } from '../../electron/dev-web/floor-fixture.js';
import type { SipUser } from './kamailio.js';
import { fixtureIdentity, type RosterFixture } from './roster-fixture.js';
import { StubSessionDescriptionHandler } from './sip-node-ua.js';

export interface FloorDesk {
  line: Line;
  floor: FloorService;
  reporter: DeskReporter;
  /** Boards the service pushed (a supervisor desk's). */
  boards: FloorBoardView[];
  stop(): Promise<void>;
}

export interface FloorDeskOptions {
  server: { wsUrl: string; domain: string };
  user: SipUser;
  fixture: RosterFixture;
  deskId: string;
  /** Who is signed in (a roster person id), or nobody. */
  person: string | null;
  now?: () => number;
  /** The outbox counts the desk reports (default none). */
  outbox?: { pending: number; failed: number };
  /** Called with every board the service pushes. */
  onBoard?: (board: FloorBoardView) => void;
  /** What a floor clearance command finds and does on this desk (issue 10 §4); none = it reports "failed". */
  clearance?: FloorServiceOptions['clearance'];
}

export async function startFloorDesk(o: FloorDeskOptions): Promise<FloorDesk> {
  const line = createLine(
    { server: o.server.wsUrl, aor: `sip:${o.user.user}@${o.server.domain}`, authUser: o.user.user, password: o.user.password, displayName: o.deskId },
    { sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler() },
  );
  const state = await line.connect();
  if (state.registration !== 'registered') throw new Error(`${o.deskId}: line ${state.registration} (${state.reason ?? ''})`);
  const identity = fixtureIdentity(o.fixture, o.deskId);
  if (o.person) {
    const person = o.fixture.roster.people.find((p) => p.id === o.person);
    if (!person) throw new Error(`no person ${o.person}`);
    identity.signIn({ person, key: await o.fixture.personKey(o.person), since: new Date() });
  }
  const boards: FloorBoardView[] = [];
  const floor = createFloorService({
    identity,
    now: o.now ?? Date.now,
    outbox: () => Promise.resolve(o.outbox ?? { pending: 0, failed: 0 }),
    push: (event) => {
      if (event.type !== 'floor-board') return;
      boards.push(event.board);
      if (boards.length > 50) boards.shift();
      o.onBoard?.(event.board);
    },
    sweepMs: 3_600_000,
    ...(o.clearance ? { clearance: o.clearance } : {}),
  });
  const reporter = createDeskReporter({ report: async (a) => floor.handlers.floorReport(a), send: (to, token) => line.sendFloorMessage(to, token) });
  line.onFloorMessage(({ body, from }) => {
    void Promise.resolve(floor.handlers.floorDeliver({ body, from })).then((r) => {
      if (r.outcome === 'watch') reporter.resend();
      // As the desk's page does (renderer/src/floor/use-floor-link.ts): replies go until the server takes them.
      for (const m of r.messages ?? []) void sendReply(() => line.sendFloorMessage(m.to, m.token, { answered: true }));
    });
  });
  return {
    line,
    floor,
    reporter,
    boards,
    async stop() {
      reporter.stop();
      floor.close();
      await line.disconnect();
    },
  };
}

/** The file a dev-web desk reads its floor place from (KOTOZUTE_FLOOR_FIXTURE). */
export async function floorFixtureFile(fixture: RosterFixture, deskId: string, person: string | null): Promise<FloorFixtureFile> {
  const key = fixture.deskKeys.get(deskId);
  if (!key) throw new Error(`no desk ${deskId}`);
  const secret = person ? fixture.secrets.get(person) : undefined;
  if (person && secret === undefined) throw new Error(`no person ${person}`);
  return {
    roster: fixture.roster,
    deskId,
    deskKeySeed: privateSeed(key).toString('base64url'),
    signedIn: person && secret !== undefined ? { person, secret } : null,
  };
}

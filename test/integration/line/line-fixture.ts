// Shared set-up for the line's integration tests: a real Kamailio, the desk's line (renderer code
// running in Node with the signalling-only stub session description handler) and sip.js callers.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startKamailio, type Kamailio, type SipUser, type StartKamailioOptions } from '../../support/kamailio.js';
import { createNodeUa, StubSessionDescriptionHandler, type NodeUa } from '../../support/sip-node-ua.js';
import { createLine } from '../../../renderer/src/line/line.js';
import type { LineLogEntry } from '../../../renderer/src/line/redacting-logger.js';
import type { Call, Line, LineConfig, LineDeps, LineState } from '../../../renderer/src/line/types.js';

/** A desk line registered (or not) against the test Kamailio, plus what it logged. */
export interface DeskLine {
  line: Line;
  user: SipUser;
  logs: LineLogEntry[];
}

/** The per-file harness: `kam()` once started, `desk()` and `caller()` stopped after each test. */
export interface LineHarness {
  kam(): Kamailio;
  desk(overrides?: Partial<LineConfig>, deps?: LineDeps, user?: SipUser): Promise<DeskLine>;
  caller(prefix?: string): Promise<{ ua: NodeUa; user: SipUser }>;
  /** Every log line any desk of this file produced (checked for personal data). */
  allLogs: LineLogEntry[];
}

/** Registers the vitest hooks for one file and returns the harness. */
export function useLineHarness(domain: '127.0.0.1' | 'kotozute.test' = 'kotozute.test', server: Omit<StartKamailioOptions, 'domain'> = {}): LineHarness {
  let kam: Kamailio | undefined;
  let lines: Line[] = [];
  let uas: NodeUa[] = [];
  const allLogs: LineLogEntry[] = [];

  beforeAll(async () => {
    kam = await startKamailio({ ...server, domain });
  }, 15_000);
  afterAll(async () => {
    await kam?.stop();
  });
  beforeEach((ctx) => {
    ctx.onTestFailed(() => {
      kam?.keepLogs();
      console.error(`[line] kamailio log kept at ${kam?.logPath}`);
    });
  });
  afterEach(async () => {
    await Promise.all([...lines.map((l) => l.disconnect()), ...uas.map((u) => u.stop())]);
    lines = [];
    uas = [];
  });

  return {
    kam() {
      if (!kam) throw new Error('kamailio not started');
      return kam;
    },
    async desk(overrides = {}, deps = {}, existing) {
      const server = this.kam();
      const user = existing ?? (await server.newUser('desk'));
      const logs: LineLogEntry[] = [];
      const line = createLine(
        {
          server: server.wsUrl,
          aor: `sip:${user.user}@${server.domain}`,
          authUser: user.user,
          password: user.password,
          displayName: 'Desk',
          ...overrides,
        },
        {
          sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler(),
          log: (entry) => {
            logs.push(entry);
            allLogs.push(entry);
          },
          ...deps,
        },
      );
      lines.push(line);
      return { line, user, logs };
    },
    async caller(prefix = 'caller') {
      const server = this.kam();
      const user = await server.newUser(prefix);
      const ua = await createNodeUa({ wsUrl: server.wsUrl, domain: server.domain, ...user });
      uas.push(ua);
      await ua.register();
      return { ua, user };
    },
    allLogs,
  };
}

/** Resolves with the line's state once `predicate` holds (checked at once and on every change). */
export function waitForLine(line: Line, predicate: (state: LineState) => boolean, what: string, timeoutMs = 5000): Promise<LineState> {
  if (predicate(line.state)) return Promise.resolve(line.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what} (registration ${line.state.registration}, reason ${line.state.reason})`));
    }, timeoutMs);
    const unsubscribe = line.subscribe((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    });
  });
}

/** The next call that starts ringing on the line (one not in `line.calls` now). */
export async function nextRinging(line: Line, timeoutMs = 5000): Promise<Call> {
  const known = new Set(line.calls.map((c) => c.id));
  const state = await waitForLine(line, (s) => s.calls.some((c) => !known.has(c.id)), 'a call to ring', timeoutMs);
  const info = state.calls.find((c) => !known.has(c.id))!;
  return line.call(info.id)!;
}

/** Resolves once the call's snapshot satisfies `predicate`. */
export async function waitForCall(line: Line, id: string, predicate: (call: Call) => boolean, what: string, timeoutMs = 5000): Promise<Call> {
  await waitForLine(line, () => {
    const call = line.call(id);
    return call !== undefined && predicate(call);
  }, what, timeoutMs);
  return line.call(id)!;
}

/** Registered, or the test fails with the reason. */
export async function registered(line: Line): Promise<void> {
  const state = await line.connect();
  if (state.registration !== 'registered') throw new Error(`line did not register: ${state.registration} ${state.reason}`);
}

/**
 * How many contacts the registrar holds for a user. The harness's contactCount throws for an AOR
 * that was never registered (Kamailio 5.6 answers that lookup with a non-404 error): that is 0 here.
 */
export async function contactsOf(kam: Kamailio, user: string): Promise<number> {
  try {
    return await kam.contactCount(user);
  } catch (error) {
    if (/AOR not found/i.test((error as Error).message)) return 0;
    throw error;
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

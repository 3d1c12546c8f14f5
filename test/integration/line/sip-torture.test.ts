// The RFC 4475 / RFC 5118 torture suite against the desk's line (renderer code in Node, signalling
// only): a hostile SIP-over-WebSocket server registers the desk, sends every message, and checks the
// answer the RFC expects. Nothing may be thrown, and the desk stays registered on the same socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLine } from '../../../renderer/src/line/line.js';
import type { Line } from '../../../renderer/src/line/types.js';
import { startHostileSipServer, type HostileSipServer } from '../../support/hostile-sip-server.js';
import { StubSessionDescriptionHandler } from '../../support/sip-node-ua.js';
import { runTortureCase, TORTURE_CASES, type TortureTarget } from '../../support/sip-torture.js';

const target: TortureTarget = { user: 'desk', domain: 'kotozute.test' };
let server: HostileSipServer;
let line: Line;
const thrown: unknown[] = [];
const onThrown = (error: unknown): void => {
  thrown.push(error);
};

beforeAll(async () => {
  process.on('uncaughtException', onThrown);
  process.on('unhandledRejection', onThrown);
  server = await startHostileSipServer();
  line = createLine(
    { server: server.url, aor: `sip:${target.user}@${target.domain}`, authUser: target.user, password: 'torture-pw', displayName: 'Desk' },
    { sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler() },
  );
  const state = await line.connect();
  expect(state.registration).toBe('registered');
});

afterAll(async () => {
  await line?.disconnect();
  await server?.close();
  process.off('uncaughtException', onThrown);
  process.off('unhandledRejection', onThrown);
});

describe('the desk under the SIP torture messages (RFC 4475 §3.1–3.4, RFC 5118 §4)', () => {
  for (const c of TORTURE_CASES) {
    it(`${c.source} ${c.id}: ${c.expect === 'none' ? 'no answer' : `answers ${c.expect.join(' or ')}`}, throws nothing, stays registered`, async () => {
      const before = thrown.length;
      const outcome = await runTortureCase(server, c, target);
      if (c.expect === 'none') expect(outcome.statuses).toEqual([]);
      else expect(c.expect, `answered ${outcome.statuses.join(',') || 'nothing'}`).toContain(outcome.first?.status);
      for (const [name, pattern] of Object.entries(c.expectHeaders ?? {})) {
        expect(outcome.first?.headers.filter(([n]) => n === name).map(([, v]) => v).join(', '), name).toMatch(pattern);
      }
      expect(thrown.slice(before).map(String)).toEqual([]);
      expect(line.state.registration).toBe('registered');
      expect(server.connections).toBe(1);
    });
  }

  it('discards what follows the end of a message (the INVITE behind dblreq is never answered)', () => {
    expect(server.responses.filter((r) => r.callId.startsWith('dblreq-trailing'))).toEqual([]);
  });
});

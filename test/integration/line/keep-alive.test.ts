// The line behind a server that closes idle sockets (issue 14 §5): Kamailio set to close a
// connection that carried nothing for 30 s, as strict load balancers do, and the desk registered for
// an hour so that no REGISTER refresh keeps the socket busy. The desk's keep-alives must hold the one
// socket for the whole run, and every INVITE that comes in the meantime must ring.
//
// KOTOZUTE_KEEPALIVE_MINUTES sets the length (10 by default: twenty idle limits).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextRinging, registered, sleep, useLineHarness } from './line-fixture.js';

const MINUTES = Number(process.env.KOTOZUTE_KEEPALIVE_MINUTES ?? '10');
const IDLE_LIMIT_SEC = 30;
/** Between two calls: more than two idle limits of silence. */
const CALL_EVERY_MS = 75_000;

const h = useLineHarness('kotozute.test', { idleLimitSec: IDLE_LIMIT_SEC });

/** Counts the WebSockets opened in this process (sip.js opens one per connection). */
let opened = 0;
const Original = globalThis.WebSocket;
beforeEach(() => {
  opened = 0;
  globalThis.WebSocket = class extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      opened += 1;
    }
  };
});
afterEach(() => {
  globalThis.WebSocket = Original;
});

describe('keep-alives', () => {
  it(
    `hold one socket for ${MINUTES} minutes behind a server that closes sockets idle for ${IDLE_LIMIT_SEC} s, and no INVITE is missed`,
    async () => {
      const { line, user, logs } = await h.desk({ registerExpiresSec: 3600 });
      await registered(line);
      const desksSockets = opened;
      expect(desksSockets).toBe(1);
      const deadline = Date.now() + MINUTES * 60_000;
      let calls = 0;
      while (Date.now() + 5_000 < deadline) {
        await sleep(Math.min(CALL_EVERY_MS, deadline - Date.now() - 5_000));
        // A fresh caller each time: its own socket would be closed by the idle limit too.
        const before = opened;
        const { ua } = await h.caller(`caller${calls}`);
        const ringing = nextRinging(line, 10_000);
        const inviter = await ua.call(user.user);
        const call = await ringing;
        expect(call.info.state).toBe('ringing');
        await inviter.cancel();
        await ua.stop();
        calls += 1;
        // Only the caller opened a socket; the desk's is the one it registered over.
        expect(opened - before).toBe(1);
        expect(line.state.registration).toBe('registered');
      }
      expect(calls).toBeGreaterThanOrEqual(Math.floor((MINUTES * 60_000) / CALL_EVERY_MS) - 1);
      expect(logs.map((l) => l.message).filter((m) => /connection (lost|closed)|keep-alive unanswered/.test(m))).toEqual([]);
    },
    (MINUTES + 2) * 60_000,
  );
});

/**
 * A wall clock stepped back (an NTP correction, a resumed laptop) must not hold a waiting retry back
 * by the size of the step: the retry falls due after the back-off it was given, on the monotonic
 * clock. Found by the clock-jump drill (bench/drills/clock-jump.drill.ts): an hour back held a
 * 2-second retry for an hour.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { nullLogger } from '../../../../../../electron/main/services/log.js';
import { createOutbox, type OutboxEngine } from '../../../../../../electron/main/services/outbox/outbox.js';
import { openEncryptedStore } from '../../../../../../electron/main/services/secure-store.js';

const HOUR = 60 * 60_000;
let dir: string | undefined;
let outbox: OutboxEngine | undefined;

afterEach(async () => {
  await outbox?.stop();
  outbox = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['back', -HOUR],
  ['forward', HOUR],
])('sends a waiting retry after its back-off when the wall clock jumps an hour %s', async (_way, step) => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-outbox-clock-'));
  let offset = 0;
  const attempts: number[] = [];
  outbox = createOutbox({
    store: openEncryptedStore({ dir, name: 'outbox', key: randomBytes(32) }).store,
    attempt: async () => {
      attempts.push(attempts.length);
      if (attempts.length === 1) {
        // The clock steps while the first attempt's failure is on its way back.
        setTimeout(() => (offset += step), 20);
        return { ok: false, retry: true, reason: 'server error 500' };
      }
      return { ok: true, receipt: 'accepted' };
    },
    log: nullLogger,
    now: () => new Date(Date.now() + offset),
    random: () => 1,
    backoff: { baseMs: 100, maxMs: 100 },
  });
  outbox.enqueue([{ noteId: 'note-1', clientId: 'aoba', channelId: 'hook', kind: 'webhook' }]);
  outbox.start();
  const deadline = Date.now() + 3_000;
  while (outbox.list()[0]?.state !== 'delivered' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(outbox.list()[0]?.state).toBe('delivered');
  expect(attempts).toHaveLength(2);
});

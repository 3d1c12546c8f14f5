/**
 * The clock jumping ±1 h mid-shift (an NTP step, a wrong time zone fixed, a resumed laptop), five
 * ways, each with the real service and its injected clock:
 *
 * - the outbox: a message whose first attempt met a 500 waits for its retry (the desk's own
 *   back-off: the first retry within 2 s) when the wall clock jumps an hour back or forward. The
 *   desk's clock is the real service's `now` option, shifted by the drill (the receiver, on the same
 *   machine, reads the same shifted clock). A message still undelivered 20 s after the jump is
 *   counted as delayed (target 0), then sent by the operator's "retry now" so the drill ends; one
 *   never delivered at all is lost. Recovery: the jump → delivered.
 * - retention (clock-jump/retention.ts): an undelivered note is never destroyed early, a delivered
 *   one goes at the first look after its retention really passed;
 * - greeting variants (clock-jump/greeting.ts): the pop reads what the client's shifted clock says;
 * - the audit chain (clock-jump/audit.ts): times going backwards are recorded as read, and the chain
 *   still verifies against its head, by the admin command and at a restart;
 * - the scheduled clearance (clock-jump/clearance.ts): a day's clearance runs exactly once per due
 *   time, a jump while a note is undelivered raises "needs attention" and wipes nothing.
 *
 * The four last run on a simulated clock (an hour passes in no time); their figures say so.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHandOffService } from '../../electron/main/services/handoff/hand-off-service.js';
import { createSenders } from '../../electron/main/services/handoff/senders.js';
import { nullLogger } from '../../electron/main/services/log.js';
import { idempotencyKeyFor } from '../../electron/main/services/outbox/job.js';
import { openEncryptedStore } from '../../electron/main/services/secure-store.js';
import { openAuditLog } from '../../electron/main/services/audit/audit-log.js';
import { openVaultWithKek } from '../../electron/main/services/vault/vault.js';
import { Client } from '../../shared/directory/schema.js';
import { generateClient } from '../../test/support/generate-directory.js';
import { startHttpsReceiver } from '../../test/support/receivers/https-receiver.js';
import { loopbackCa } from '../../test/support/receivers/loopback-ca.js';
import type { BenchResult } from '../harness.js';
import { drillRows, QUICK, sleep, type Drill } from './drill-harness.js';
import { auditRows } from './clock-jump/audit.js';
import { clearanceRows } from './clock-jump/clearance.js';
import { greetingRows } from './clock-jump/greeting.js';
import { retentionRows } from './clock-jump/retention.js';

const TRIALS = QUICK ? 4 : 20;
/** Jumps per drill of the four without a network (cheap: the clock is simulated). */
const JUMPS = QUICK ? 6 : 24;
const HOUR = 60 * 60_000;
const DELAY_LIMIT_MS = 20_000;

async function outboxRun(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-clock-'));
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  // The machine's clock jumps: the loopback receiver on it (and its signature-age check) jumps too.
  const receiver = await startHttpsReceiver('webhook', { now });
  const client = Client.parse({ ...generateClient(1), id: 'drill-client', handOff: { channels: [receiver.channel], urgentAlso: [], minimalChat: false } });
  const audit = openAuditLog({ dir: path.join(dir, 'audit'), now });
  const vault = openVaultWithKek({ dir: path.join(dir, 'vault'), kek: randomBytes(32), audit, log: nullLogger, now });
  const service = createHandOffService({
    vault,
    audit,
    store: openEncryptedStore({ dir, name: 'outbox', key: randomBytes(32) }).store,
    senders: createSenders(),
    directory: { byId: (id) => (id === client.id ? client : undefined) },
    secrets: (ref) => (ref === 'test.webhook' ? receiver.secret : undefined),
    log: nullLogger,
    ca: loopbackCa().ca,
    now,
  });
  service.outbox.start();
  const recovery: number[] = [];
  const ids: string[] = [];
  const delayed: string[] = [];
  try {
    for (let t = 0; t < TRIALS; t++) {
      receiver.script(['server-error'], 'succeed');
      const call = { did: '0312345678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: now().toISOString() };
      const m = vault.create({ callId: `clock-${t}-${randomBytes(4).toString('hex')}`, clientId: client.id, training: false, call });
      vault.save(m.id, { memo: `伝言 ${t}` });
      vault.setState(m.id, 'ready');
      const [job] = service.handOff(m.id);
      ids.push(m.id);
      const until = (check: () => boolean, ms: number) =>
        (async () => {
          const end = performance.now() + ms;
          while (performance.now() < end) {
            if (check()) return true;
            await sleep(10);
          }
          return false;
        })();
      const stateOf = () => service.outbox.list().find((j) => j.id === job!.id)?.state;
      await until(() => stateOf() === 'retrying', 10_000);
      offset += t % 2 === 0 ? -HOUR : HOUR;
      const jumped = performance.now();
      const ok = await until(() => stateOf() === 'delivered', DELAY_LIMIT_MS);
      if (!ok) {
        delayed.push(`${t % 2 === 0 ? 'back' : 'forward'}`);
        service.outbox.retry(job!.id);
        await until(() => stateOf() === 'delivered', 10_000);
      }
      recovery.push(performance.now() - jumped);
    }
    const keys = new Set(receiver.received.map((d) => d.idempotencyKey));
    const lost = ids.filter((id) => !keys.has(idempotencyKeyFor(id, receiver.channel.id))).length;
    process.stdout.write(`  ${TRIALS} jumps (back, forward, …): ${delayed.length} message(s) still waiting ${DELAY_LIMIT_MS / 1000} s after the jump (${delayed.join(', ') || 'none'})\n`);
    const name = 'drill:clock-jump';
    return [
      ...drillRows(name, { trials: TRIALS, trialsUnit: 'jumps', lost, duplicates: receiver.received.length - keys.size, recoveryMs: recovery, recoveryWhat: 'jump → retried message delivered' }),
      { name, metric: `retries delayed past ${DELAY_LIMIT_MS / 1000} s by the jump`, value: delayed.length, unit: 'messages', target: 0 },
    ];
  } finally {
    await service.outbox.stop();
    vault.close();
    audit.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function run(): Promise<BenchResult[]> {
  return [...(await outboxRun()), ...(await retentionRows(JUMPS)), ...greetingRows(JUMPS * 20), ...(await auditRows(JUMPS)), ...(await clearanceRows(JUMPS))];
}

const drill: Drill = {
  title: `the clock jumping ±1 h: a hand-off waiting for its retry (${TRIALS} jumps), retention, the audit chain, the scheduled clearance (${JUMPS} each), greeting variants (${JUMPS * 20})`,
  run,
};
export default drill;

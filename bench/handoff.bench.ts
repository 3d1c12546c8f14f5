/**
 * Confirmed delivery → note wiped: the time from the sender reporting the receiver's confirmation
 * to the note's file being gone from the vault, with the wipe's audit record written. On the way:
 * the outbox seals the job's new state to disk, the audit records the delivery, the vault moves the
 * note to delivered, deletes its file and rewrites the key table without its key.
 *
 * Real parts throughout: the vault (1,000 other live notes in it, as on a busy desk), the audit log,
 * the sealed outbox store, the webhook sender over TLS to a loopback receiver. Only the keychain is
 * left out (the KEK is handed in), since its cost is paid at start, not per hand-off.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAuditLog, type AuditLog } from '../electron/main/services/audit/audit-log.js';
import { createHandOffService } from '../electron/main/services/handoff/hand-off-service.js';
import { createSenders } from '../electron/main/services/handoff/senders.js';
import type { ChannelSender } from '../electron/main/services/handoff/types.js';
import { nullLogger } from '../electron/main/services/log.js';
import { openEncryptedStore } from '../electron/main/services/secure-store.js';
import { openVaultWithKek } from '../electron/main/services/vault/vault.js';
import { Client } from '../shared/directory/schema.js';
import { generateClient } from '../test/support/generate-directory.js';
import { startHttpsReceiver } from '../test/support/receivers/https-receiver.js';
import { loopbackCa } from '../test/support/receivers/loopback-ca.js';
import { quantile, round, type Bench, type BenchResult } from './harness.js';

const LIVE_NOTES = 1_000;
const WARMUP = 10;
const SAMPLES = 200;

const FIELDS = {
  name: '山田太郎',
  callback: '090-1234-5678',
  memo: '明日の午前中に折り返しをお願いします。契約書の件でご相談とのことです。',
};

async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-bench-handoff-'));
  const receiver = await startHttpsReceiver('webhook');
  try {
    const client = Client.parse({
      ...generateClient(1),
      id: 'bench-client',
      handOff: { channels: [receiver.channel], urgentAlso: [], minimalChat: false },
    });
    const realAudit = openAuditLog({ dir: path.join(dir, 'audit') });
    // The moment the wipe is on record, which the vault writes after the file and key are gone.
    let wiped: ((at: bigint) => void) | undefined;
    const audit: AuditLog = {
      ...realAudit,
      append: (e) => realAudit.append(e),
      appendMany(events) {
        const written = realAudit.appendMany(events);
        if (events.some((e) => e.type === 'wiped')) wiped?.(process.hrtime.bigint());
        return written;
      },
    };
    const vault = openVaultWithKek({ dir: path.join(dir, 'vault'), kek: randomBytes(32), audit, log: nullLogger });
    const notesDir = path.join(dir, 'vault', 'notes');
    const call = { did: '03-1234-5678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: new Date().toISOString() };
    for (let i = 0; i < LIVE_NOTES; i++) {
      const m = vault.create({ callId: randomUUID(), clientId: client.id, training: false, call });
      vault.save(m.id, FIELDS);
    }

    // The moment the sender hands back the receiver's confirmation.
    let confirmedAt = 0n;
    const senders = createSenders();
    const webhook = senders.webhook;
    const timed: ChannelSender = {
      async send(message, channel, ctx) {
        const outcome = await webhook.send(message, channel, ctx);
        if (outcome.ok) confirmedAt = process.hrtime.bigint();
        return outcome;
      },
    };
    const { store } = openEncryptedStore({ dir, name: 'outbox', key: randomBytes(32) });
    const service = createHandOffService({
      vault,
      audit,
      store,
      senders: { ...senders, webhook: timed },
      directory: { byId: (id) => (id === client.id ? client : undefined) },
      secrets: (ref) => (ref === 'test.webhook' ? receiver.secret : undefined),
      log: nullLogger,
      ca: loopbackCa().ca,
      timeoutMs: 5_000,
    });
    service.outbox.start();

    const confirmToWipe: number[] = [];
    const readyToWipe: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const m = vault.create({ callId: randomUUID(), clientId: client.id, training: false, call });
      vault.save(m.id, FIELDS);
      vault.setState(m.id, 'ready');
      const file = path.join(notesDir, fs.readdirSync(notesDir).find((n) => n.startsWith(m.id)) ?? '');
      const gone = new Promise<bigint>((resolve) => (wiped = resolve));
      const start = process.hrtime.bigint();
      service.handOff(m.id);
      const end = await gone;
      if (fs.existsSync(file)) throw new Error('the note file was still there after its wipe was recorded');
      if (i >= WARMUP) {
        confirmToWipe.push(Number(end - confirmedAt) / 1e6);
        readyToWipe.push(Number(end - start) / 1e6);
      }
    }
    await service.outbox.stop();
    if (receiver.received.length !== WARMUP + SAMPLES) throw new Error(`receiver got ${receiver.received.length} messages`);
    if (vault.list().length !== LIVE_NOTES) throw new Error('a note was wiped that should not have been');
    vault.close();
    realAudit.close();

    const name = 'handoff';
    return [
      { name, metric: 'confirmed delivery → note wiped, p50', value: round(quantile(confirmToWipe, 0.5)), unit: 'ms', target: null },
      { name, metric: 'confirmed delivery → note wiped, p95', value: round(quantile(confirmToWipe, 0.95)), unit: 'ms', target: 50 },
      { name, metric: 'hand-off → note wiped (TLS webhook on loopback), p50', value: round(quantile(readyToWipe, 0.5)), unit: 'ms', target: null },
      { name, metric: 'hand-off → note wiped (TLS webhook on loopback), p95', value: round(quantile(readyToWipe, 0.95)), unit: 'ms', target: null },
    ];
  } finally {
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const bench: Bench = {
  title: `confirmed delivery → note wiped, ${SAMPLES} hand-offs with ${LIVE_NOTES} other live notes in the vault`,
  run,
};
export default bench;

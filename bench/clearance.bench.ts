/**
 * The end-of-day clearance of one busy desk (issue 10): 10,000 notes (ten carried over, the rest
 * discarded with a reason) and 1,000 outbox jobs, on the real keychain (npm run bench runs under
 * with-keyring.sh), from the call to the signed deletion record: journal, new shift key, re-wrap,
 * commit, cryptographic erase of the old key, file deletion, outbox pruning, record and audit event.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settlement } from '../shared/clearance/schema.js';
import { openAuditLog } from '../electron/main/services/audit/audit-log.js';
import { clearDesk, NEXT_KEK_ACCOUNT } from '../electron/main/services/clearance/clearance.js';
import { createKeytarKeyStore, getOrCreateKey } from '../electron/main/services/keychain.js';
import { namespacedKeyStore } from '../electron/main/services/keychain-namespace.js';
import { nullLogger } from '../electron/main/services/log.js';
import { saveJobs } from '../electron/main/services/outbox/job-store.js';
import { idempotencyKeyFor, jobIdFor, type OutboxJob } from '../electron/main/services/outbox/job.js';
import { generateEd25519 } from '../electron/main/services/roster/ed25519.js';
import { openEncryptedStore } from '../electron/main/services/secure-store.js';
import { openVault, SHIFT_KEK_ACCOUNT } from '../electron/main/services/vault/vault.js';
import { round, type Bench, type BenchResult } from './harness.js';

const NOTES = 10_000;
const JOBS = 1_000;
const CARRIED = 10;
const TARGET_MS = 2_000;
const call = { did: '0355550101', callerName: '佐藤 花子', callerNumber: '09012345678', receivedAt: '2026-12-05T09:30:00.000Z' };

const bench: Bench = {
  title: `clear a desk holding ${NOTES} notes and ${JOBS} outbox jobs to a signed record`,
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(join(tmpdir(), 'kotozute-bench-clear-'));
    const keyStore = namespacedKeyStore(createKeytarKeyStore({ service: `Kotozute-bench-clear-${randomUUID().slice(0, 8)}` }), { dataDir: dir, adoptLegacy: false });
    try {
      const audit = openAuditLog({ dir: join(dir, 'audit') });
      const vault = await openVault({ dir: join(dir, 'vault'), keyStore, audit, log: nullLogger });
      for (let i = 0; i < NOTES; i++) {
        const m = vault.create({ callId: `bench-${i}`, clientId: `client-${i % 50}`, training: false, call });
        vault.save(m.id, { callerName: '佐藤 花子', freeText: `折り返しをお願いします ${i}` });
      }
      const notes = vault.list();
      vault.close();
      await vault.whenFilesRemoved();
      const at = new Date().toISOString();
      const jobs: OutboxJob[] = notes.slice(0, JOBS).map((n, i) => ({
        id: jobIdFor(n.id, 'hook'),
        noteId: n.id,
        clientId: `client-${i % 50}`,
        channelId: 'hook',
        kind: 'webhook',
        idempotencyKey: idempotencyKeyFor(n.id, 'hook'),
        state: i % 2 === 0 ? 'delivered' : 'failed',
        attempts: 1,
        nextAttemptAt: null,
        lastError: i % 2 === 0 ? null : 'http-400',
        createdAt: at,
        deliveredAt: i % 2 === 0 ? at : null,
      }));
      const outboxStore = openEncryptedStore({ dir, name: 'outbox', key: await getOrCreateKey(keyStore, 'outbox-store-key') }).store;
      saveJobs(outboxStore, jobs);
      const settlements: Settlement[] = notes.map((n, i) => (i < CARRIED ? { noteId: n.id, action: 'carry-over' } : { noteId: n.id, action: 'discard', reason: 'duplicate' }));
      const { privateKey } = generateEd25519();

      const start = process.hrtime.bigint();
      const record = await clearDesk(
        { dataDir: dir, keyStore, audit, outboxStore, log: nullLogger },
        { notes, jobs, settlements, confirmedBy: { personId: 'sl-001', role: 'shift-lead' }, deskId: 'desk-01', deskKey: privateKey },
      );
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      audit.close();
      if (record.carriedOver.notes !== CARRIED) throw new Error('the clearance did not carry over the notes it was told to');
      return [{ name: 'clearance', metric: `clear ${NOTES} notes + ${JOBS} jobs → signed record`, value: round(ms), unit: 'ms', target: TARGET_MS }];
    } finally {
      for (const account of [SHIFT_KEK_ACCOUNT, NEXT_KEK_ACCOUNT, 'outbox-store-key']) await keyStore.delete(account).catch(() => false);
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default bench;

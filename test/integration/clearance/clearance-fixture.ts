/**
 * A desk's data directory as a day leaves it, built on real parts: the shift KEK and store keys in
 * the real keychain (run under test/support/with-keyring.sh), the vault, the audit trail and the
 * sealed outbox on disk. Notes in every state, their outbox jobs, a quarantined note, a crash dump.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAuditLog, type AuditLog } from '../../../electron/main/services/audit/audit-log.js';
import type { Settlement } from '../../../shared/clearance/schema.js';
import { NEXT_KEK_ACCOUNT, type ClearanceDeps } from '../../../electron/main/services/clearance/clearance.js';
import { listRecords } from '../../../electron/main/services/clearance/deletion-record.js';
import { createKeytarKeyStore, getOrCreateKey, type KeyStore } from '../../../electron/main/services/keychain.js';
import { namespacedKeyStore } from '../../../electron/main/services/keychain-namespace.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { OUTBOX_STORE_KEY_ACCOUNT } from '../../../electron/main/services/note-handlers.js';
import { loadJobs, saveJobs } from '../../../electron/main/services/outbox/job-store.js';
import { idempotencyKeyFor, jobIdFor, type OutboxJob } from '../../../electron/main/services/outbox/job.js';
import { generateEd25519 } from '../../../electron/main/services/roster/ed25519.js';
import { openEncryptedStore, type EncryptedStore } from '../../../electron/main/services/secure-store.js';
import { openVault, SHIFT_KEK_ACCOUNT, type NoteMeta } from '../../../electron/main/services/vault/vault.js';

/** Text typed into the notes: must appear nowhere after a clearance except inside carried-over ciphertext. */
export const CANARY = { callerName: '鈴木カナリア', callerNumber: '09087654321', text: 'カナリアの伝言 canary-7f3a' };

export interface DayFixture {
  dataDir: string;
  service: string;
  keyStore: KeyStore;
  deskKey: KeyObject;
  notes: NoteMeta[];
  jobs: OutboxJob[];
  ids: { draft: string; ready: string; failed: string; training: string; handingOff: string };
  oldKek: string;
  /** What each note's content was (to compare after a carry-over). */
  content: Map<string, Record<string, string>>;
  deps(o?: Partial<ClearanceDeps>): Promise<{ deps: ClearanceDeps; close(): void }>;
  cleanup(): Promise<void>;
}

export function keyStoreFor(service: string, dataDir: string): KeyStore {
  return namespacedKeyStore(createKeytarKeyStore({ service, timeoutMs: 5_000 }), { dataDir, adoptLegacy: false });
}

export async function outboxStoreOf(keyStore: KeyStore, dataDir: string): Promise<EncryptedStore> {
  const key = await getOrCreateKey(keyStore, OUTBOX_STORE_KEY_ACCOUNT);
  return openEncryptedStore({ dir: dataDir, name: 'outbox', key }).store;
}

function job(noteId: string, clientId: string, state: OutboxJob['state'], lastError: string | null): OutboxJob {
  const at = new Date().toISOString();
  return {
    id: jobIdFor(noteId, 'hook'),
    noteId,
    clientId,
    channelId: 'hook',
    kind: 'webhook',
    idempotencyKey: idempotencyKeyFor(noteId, 'hook'),
    state,
    attempts: state === 'pending' ? 0 : 1,
    nextAttemptAt: null,
    lastError,
    createdAt: at,
    deliveredAt: state === 'delivered' ? at : null,
  };
}

export async function makeDay(service = `Kotozute-test-clear-${process.pid}-${randomUUID().slice(0, 8)}`): Promise<DayFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-clear-'));
  const keyStore = keyStoreFor(service, dataDir);
  const audit = openAuditLog({ dir: path.join(dataDir, 'audit') });
  const vault = await openVault({ dir: path.join(dataDir, 'vault'), keyStore, audit, log: nullLogger });
  const content = new Map<string, Record<string, string>>();
  const take = (clientId: string | null, training = false, extra = '') => {
    const m = vault.create({
      callId: randomUUID(),
      clientId,
      training,
      call: { did: '0312345678', callerName: CANARY.callerName, callerNumber: CANARY.callerNumber, receivedAt: new Date().toISOString() },
    });
    const fields = { callerName: CANARY.callerName, freeText: `${CANARY.text} ${extra}` };
    vault.save(m.id, fields);
    content.set(m.id, fields);
    return m.id;
  };
  const draft = take('aoba-clinic', false, 'draft');
  const ready = take('aoba-clinic', false, 'ready');
  vault.setState(ready, 'ready');
  const failed = take('midori-law', false, 'failed');
  vault.setState(failed, 'ready');
  vault.setState(failed, 'handing-off');
  vault.setState(failed, 'failed');
  const handingOff = take('midori-law', false, 'handing-off');
  vault.setState(handingOff, 'ready');
  vault.setState(handingOff, 'handing-off');
  const training = take(null, true, 'training');
  const notes = vault.list();
  vault.close();
  audit.close();

  const outbox = await outboxStoreOf(keyStore, dataDir);
  const jobs = [job(failed, 'midori-law', 'failed', 'http-400 rejected by the receiver'), job(handingOff, 'midori-law', 'retrying', 'could not reach the receiver')];
  const deliveredNote = randomUUID();
  jobs.push(job(deliveredNote, 'aoba-clinic', 'delivered', null));
  saveJobs(outbox, jobs);
  fs.mkdirSync(path.join(dataDir, 'crash-dumps', 'pending'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'crash-dumps', 'pending', 'dump.dmp'), `minidump ${CANARY.text}`);

  const oldKek = (await keyStore.get(SHIFT_KEK_ACCOUNT))!;
  const { privateKey: deskKey } = generateEd25519();
  return {
    dataDir,
    service,
    keyStore,
    deskKey,
    notes,
    jobs: loadJobs(outbox),
    ids: { draft, ready, failed, training, handingOff },
    oldKek,
    content,
    async deps(o = {}) {
      const auditLog: AuditLog = openAuditLog({ dir: path.join(dataDir, 'audit') });
      const outboxStore = await outboxStoreOf(keyStore, dataDir);
      return { deps: { dataDir, keyStore, audit: auditLog, outboxStore, log: nullLogger, ...o }, close: () => auditLog.close() };
    },
    async cleanup() {
      for (const account of [SHIFT_KEK_ACCOUNT, 'shift-kek-next', OUTBOX_STORE_KEY_ACCOUNT]) await keyStore.delete(account).catch(() => false);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What the desk holds now: the notes the vault opens (with their fields), the shift key, the records. */
export async function deskState(f: DayFixture) {
  const audit = openAuditLog({ dir: path.join(f.dataDir, 'audit') });
  const vault = await openVault({ dir: path.join(f.dataDir, 'vault'), keyStore: f.keyStore, audit, log: nullLogger });
  const notes = Object.fromEntries(vault.list().map((m) => [m.id, vault.read(m.id).content.fields]));
  vault.close();
  const events = audit.read();
  audit.close();
  return {
    notes,
    kek: await f.keyStore.get(SHIFT_KEK_ACCOUNT),
    nextKek: await f.keyStore.get(NEXT_KEK_ACCOUNT),
    records: listRecords(f.dataDir),
    jobs: loadJobs(await outboxStoreOf(f.keyStore, f.dataDir)).map((j) => j.noteId),
    cleared: events.filter((e) => e.type === 'desk-cleared'),
    journal: fs.existsSync(path.join(f.dataDir, 'clearance', 'journal.json')),
  };
}

export function settleAll(f: DayFixture): Settlement[] {
  return [
    { noteId: f.ids.draft, action: 'discard', reason: 'test-call' },
    { noteId: f.ids.ready, action: 'discard', reason: 'duplicate' },
    { noteId: f.ids.failed, action: 'carry-over' },
    { noteId: f.ids.handingOff, action: 'discard', reason: 'duplicate' },
  ];
}

export function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * The note vault at the load of a busy desk: autosave (seal + atomic write, fsync included) while
 * 1,000 notes are live, and the end-of-day wipe of 10,000 notes (files, key table, one audit event
 * each). The KEK is passed directly: the keychain is touched once per shift, not per save.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../electron/main/services/audit/audit-log.js';
import { nullLogger } from '../electron/main/services/log.js';
import { openVaultWithKek, type Vault } from '../electron/main/services/vault/vault.js';
import { collectGarbage, quantile, round, timeMs, type Bench, type BenchResult } from './harness.js';

const LIVE_NOTES = 1_000;
const SAVES = 1_000;
const WIPE_NOTES = 10_000;

const call = { did: '03-5555-0101', callerName: '佐藤 花子', callerNumber: '090-1234-5678', receivedAt: '2025-04-01T09:30:00.000Z' };

/** A filled message form: name with kana, company, callback twice, subject, urgency, a paragraph. */
function form(i: number): Record<string, string> {
  return {
    callerName: '佐藤 花子',
    callerKana: 'サトウ ハナコ',
    company: '株式会社サンプル商事',
    callbackNumber: '090-1234-5678',
    callbackNumberConfirm: '090-1234-5678',
    subject: '見積もりの件',
    urgency: 'normal',
    freeText: `明日の午前中に折り返しをお願いしたいとのことです。${'担当の田中様宛て。'.repeat(20)}${i}`,
  };
}

async function withVault<T>(fn: (vault: Vault) => T | Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kotozute-bench-vault-'));
  const audit = openAuditLog({ dir: join(dir, 'audit') });
  const vault = openVaultWithKek({ dir: join(dir, 'vault'), kek: randomBytes(32), audit, log: nullLogger });
  try {
    return await fn(vault);
  } finally {
    vault.close();
    audit.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function createNotes(vault: Vault, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(vault.create({ callId: `bench-${i}`, clientId: `client-${i % 50}`, training: false, call }).id);
  return ids;
}

const bench: Bench = {
  title: `autosave with ${LIVE_NOTES} live notes; wipe of ${WIPE_NOTES} notes`,
  async run(): Promise<BenchResult[]> {
    const name = 'vault';
    const autosave = await withVault((vault) => {
      const ids = createNotes(vault, LIVE_NOTES);
      const samples: number[] = [];
      for (let i = 0; i < SAVES; i++) {
        const id = ids[(i * 7919) % ids.length] as string;
        const fields = form(i);
        samples.push(timeMs(() => vault.save(id, fields)));
      }
      return samples;
    });

    const wipe = await withVault(async (vault) => {
      const ids = createNotes(vault, WIPE_NOTES);
      collectGarbage();
      const start = process.hrtime.bigint();
      vault.wipeMany(ids, 'cleared');
      const erased = Number(process.hrtime.bigint() - start) / 1e6;
      await vault.whenFilesRemoved();
      const removed = Number(process.hrtime.bigint() - start) / 1e6;
      if (vault.list().length !== 0) throw new Error('the wipe left notes behind');
      return { erased, removed };
    });

    return [
      { name, metric: `autosave (${LIVE_NOTES} live notes), median`, value: round(quantile(autosave, 0.5)), unit: 'ms', target: null },
      { name, metric: `autosave (${LIVE_NOTES} live notes), p95`, value: round(quantile(autosave, 0.95)), unit: 'ms', target: 10 },
      { name, metric: `wipe of ${WIPE_NOTES} notes (erased + audited)`, value: round(wipe.erased), unit: 'ms', target: 500 },
      { name, metric: `wipe of ${WIPE_NOTES} notes, files removed`, value: round(wipe.removed), unit: 'ms', target: null },
    ];
  },
};

export default bench;

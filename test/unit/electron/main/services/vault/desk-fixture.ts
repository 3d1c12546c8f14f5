/**
 * A desk's data folder for vault tests: the vault and the audit log in a fresh temporary folder,
 * a logger whose lines are kept for inspection, and a KEK passed in directly (the keychain-backed
 * path is covered by test/integration/vault).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAuditLog, type AuditLog } from '../../../../../../electron/main/services/audit/audit-log.js';
import { createLogger, type Logger } from '../../../../../../electron/main/services/log.js';
import { openVaultWithKek, type CallContext, type Vault } from '../../../../../../electron/main/services/vault/vault.js';

export interface Desk {
  root: string;
  vaultDir: string;
  auditDir: string;
  kek: Buffer;
  logLines: string[];
  log: Logger;
  audit: AuditLog;
  vault: Vault;
  /** Closes and opens everything again from disk, as after a restart (optionally with another KEK). */
  restart(kek?: Buffer): Vault;
  dispose(): void;
}

/** `monotonic`: the vault's clock of real elapsed time (a test that moves `now` as time passing moves it too). */
export function openDesk(o: { kek?: Buffer; now?: () => Date; monotonic?: () => number } = {}): Desk {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-vault-'));
  const vaultDir = path.join(root, 'vault');
  const auditDir = path.join(root, 'audit');
  const logLines: string[] = [];
  const log = createLogger((l) => logLines.push(l));
  const desk: Desk = {
    root,
    vaultDir,
    auditDir,
    kek: o.kek ?? randomBytes(32),
    logLines,
    log,
    audit: openAuditLog({ dir: auditDir, ...(o.now ? { now: o.now } : {}) }),
    vault: undefined as unknown as Vault,
    restart(kek) {
      desk.vault.close();
      desk.audit.close();
      if (kek) desk.kek = kek;
      desk.audit = openAuditLog({ dir: auditDir, ...(o.now ? { now: o.now } : {}) });
      desk.vault = openVaultWithKek({ dir: vaultDir, kek: desk.kek, audit: desk.audit, log, ...(o.now ? { now: o.now } : {}), ...(o.monotonic ? { monotonic: o.monotonic } : {}) });
      return desk.vault;
    },
    dispose() {
      desk.vault.close();
      desk.audit.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  desk.vault = openVaultWithKek({ dir: vaultDir, kek: desk.kek, audit: desk.audit, log, ...(o.now ? { now: o.now } : {}), ...(o.monotonic ? { monotonic: o.monotonic } : {}) });
  return desk;
}

export const sampleCall = (): CallContext => ({
  did: '03-5555-0101',
  callerName: '佐藤 花子',
  callerNumber: '090-1234-5678',
  receivedAt: '2025-04-01T09:30:00.000Z',
});

/**
 * A confirmed delivery whose note could not be moved on at that moment (the disk full when the vault
 * writes the note's state) is finished later by the service itself: the note is wiped once the vault
 * can write again, not left undestroyed and shown as handing off until the next start. Found by the
 * disk-full drill (bench/drills/disk-full.drill.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Client } from '../../../../../../shared/directory/schema.js';
import { openAuditLog, type AuditLog } from '../../../../../../electron/main/services/audit/audit-log.js';
import { createHandOffService, type HandOffService } from '../../../../../../electron/main/services/handoff/hand-off-service.js';
import { createSenders } from '../../../../../../electron/main/services/handoff/senders.js';
import { nullLogger } from '../../../../../../electron/main/services/log.js';
import { openEncryptedStore } from '../../../../../../electron/main/services/secure-store.js';
import { openVaultWithKek, type Vault } from '../../../../../../electron/main/services/vault/vault.js';
import { generateClient } from '../../../../../support/generate-directory.js';
import { startHttpsReceiver, type HttpsReceiver } from '../../../../../support/receivers/https-receiver.js';
import { loopbackCa } from '../../../../../support/receivers/loopback-ca.js';

let dir: string;
let receiver: HttpsReceiver;
let audit: AuditLog;
let vault: Vault;
let service: HandOffService | undefined;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-handoff-mend-'));
  receiver = await startHttpsReceiver('webhook');
  audit = openAuditLog({ dir: path.join(dir, 'audit') });
  vault = openVaultWithKek({ dir: path.join(dir, 'vault'), kek: randomBytes(32), audit, log: nullLogger });
});

afterEach(async () => {
  await service?.outbox.stop();
  service = undefined;
  vault.close();
  audit.close();
  await receiver.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('wipes a delivered note once the vault can write again, when the disk was full at the confirmation', async () => {
  const client = Client.parse({ ...generateClient(3), id: 'aoba', handOff: { channels: [receiver.channel], urgentAlso: [], minimalChat: false } });
  let diskFull = false;
  const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const flakyVault: Vault = {
    ...vault,
    setState: (id, state) => {
      if (diskFull) throw full();
      return vault.setState(id, state);
    },
    wipe: (id, reason) => {
      if (diskFull) throw full();
      vault.wipe(id, reason);
    },
  };
  service = createHandOffService({
    vault: flakyVault,
    audit,
    store: openEncryptedStore({ dir, name: 'outbox', key: randomBytes(32) }).store,
    senders: createSenders(),
    directory: { byId: (id) => (id === client.id ? client : undefined) },
    secrets: (ref) => (ref === 'test.webhook' ? receiver.secret : undefined),
    log: nullLogger,
    ca: loopbackCa().ca,
    mendEveryMs: 20,
  });
  const call = { did: '0312345678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: new Date().toISOString() };
  const note = vault.create({ callId: 'call-1', clientId: client.id, training: false, call });
  vault.save(note.id, { memo: '折り返しをお願いします' });
  vault.setState(note.id, 'ready');
  service.handOff(note.id);
  diskFull = true;
  service.outbox.start();

  await until(() => service!.outbox.list().every((j) => j.state === 'delivered'), 'the delivery to be confirmed');
  expect(vault.list().map((m) => m.state)).toEqual(['handing-off']);
  diskFull = false;
  await until(() => vault.list().length === 0, 'the note to be wiped');
  expect(receiver.received).toHaveLength(1);
});

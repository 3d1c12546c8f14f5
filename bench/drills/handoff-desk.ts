/**
 * The hand-off side of a desk as the drills run it: the real vault, audit log, sealed outbox and
 * hand-off service with the real senders, pointed at a loopback webhook receiver. Used by the drill
 * children and by the drills themselves (the restart), on the same data directory.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openAuditLog, type AuditLog } from '../../electron/main/services/audit/audit-log.js';
import { createHandOffService, type HandOffService } from '../../electron/main/services/handoff/hand-off-service.js';
import { createSenders } from '../../electron/main/services/handoff/senders.js';
import { nullLogger } from '../../electron/main/services/log.js';
import type { Backoff } from '../../electron/main/services/outbox/backoff.js';
import { openEncryptedStore } from '../../electron/main/services/secure-store.js';
import { openVaultWithKek, type Vault } from '../../electron/main/services/vault/vault.js';
import { Client, type HandOffChannel } from '../../shared/directory/schema.js';
import { generateClient } from '../../test/support/generate-directory.js';

export const DRILL_CLIENT = 'drill-client';

export interface HandOffDeskOptions {
  dir: string;
  /** base64 */
  kek: string;
  /** base64: the outbox store's key. */
  storeKey: string;
  channel: HandOffChannel;
  /** The receiver's signing secret. */
  secret: string;
  /** The loopback CA (PEM). */
  ca: string;
  timeoutMs?: number;
  backoff?: Backoff;
}

export interface HandOffDesk {
  vault: Vault;
  audit: AuditLog;
  service: HandOffService;
  /** A new note with the operator's text, saved and marked ready. */
  takeMessage(n: number): string;
  close(): Promise<void>;
}

export function openHandOffDesk(o: HandOffDeskOptions): HandOffDesk {
  const client = Client.parse({ ...generateClient(1), id: DRILL_CLIENT, handOff: { channels: [o.channel], urgentAlso: [], minimalChat: false } });
  const audit = openAuditLog({ dir: path.join(o.dir, 'audit') });
  const vault = openVaultWithKek({ dir: path.join(o.dir, 'vault'), kek: Buffer.from(o.kek, 'base64'), audit, log: nullLogger });
  const { store } = openEncryptedStore({ dir: o.dir, name: 'outbox', key: Buffer.from(o.storeKey, 'base64') });
  const ref = o.channel.kind === 'webhook' ? o.channel.signingSecret : undefined;
  const service = createHandOffService({
    vault,
    audit,
    store,
    senders: createSenders(),
    directory: { byId: (id) => (id === client.id ? client : undefined) },
    secrets: (name) => (name === ref ? o.secret : undefined),
    log: nullLogger,
    ca: o.ca,
    ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    ...(o.backoff === undefined ? {} : { backoff: o.backoff }),
  });
  return {
    vault,
    audit,
    service,
    takeMessage(n) {
      const call = { did: '03-1234-5678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: new Date().toISOString() };
      const m = vault.create({ callId: randomUUID(), clientId: client.id, training: false, call });
      vault.save(m.id, { name: '山田太郎', callback: '090-1234-5678', memo: `伝言 ${n}: 明日の午前中に折り返しをお願いします。` });
      vault.setState(m.id, 'ready');
      return m.id;
    },
    async close() {
      await service.outbox.stop();
      vault.close();
      audit.close();
    },
  };
}

/**
 * Drill child: a desk typing into a few notes, autosaving after every change (the real vault, with
 * fsync), until it is SIGKILLed. After each save returns it prints `ack <noteId> <seq>` (stdout to a
 * pipe is synchronous on Linux: a line printed is a save that had returned). Opening the vault is the
 * restart: it mends what the previous child's kill left.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openAuditLog } from '../../../electron/main/services/audit/audit-log.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { openVaultWithKek } from '../../../electron/main/services/vault/vault.js';
import { childInput } from '../drill-harness.js';

const input = childInput<{ dir: string; kek: string; notes: number }>();
const audit = openAuditLog({ dir: path.join(input.dir, 'audit') });
const vault = openVaultWithKek({ dir: path.join(input.dir, 'vault'), kek: Buffer.from(input.kek, 'base64'), audit, log: nullLogger });

const seqOf = (fields: Record<string, string>) => Number(/^seq-(\d+)/.exec(fields.memo ?? '')?.[1] ?? 0);
const notes = vault.list().filter((m) => m.state === 'draft');
const seq = new Map(notes.map((m) => [m.id, seqOf(vault.read(m.id).content.fields)]));
while (seq.size < input.notes) {
  const m = vault.create({
    callId: randomUUID(),
    clientId: 'drill-client',
    training: false,
    call: { did: '0312345678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: new Date().toISOString() },
  });
  seq.set(m.id, 0);
}
process.stdout.write('ready\n');
const ids = [...seq.keys()];
for (let i = 0; ; i++) {
  const id = ids[i % ids.length]!;
  const next = seq.get(id)! + 1;
  vault.save(id, { callerName: '山田太郎', callback: '090-1234-5678', memo: `seq-${next} 明日の午前中に折り返しをお願いします。`.repeat(1 + (i % 3)) });
  seq.set(id, next);
  process.stdout.write(`ack ${id} ${next}\n`);
  if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
}

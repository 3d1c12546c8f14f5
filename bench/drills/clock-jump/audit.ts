/**
 * The audit chain under a ±1 h jump, with the real audit log (its `now` the jumping wall clock) fed
 * by the real vault, its head kept as the desk keeps it. Each trial: a note's life (created,
 * autosaved, handed off, wiped) with the jump in the middle of it, then the checks an auditor and the
 * desk make: `kotozute-admin audit verify FILE --head …` says OK, and the log opened again (a
 * restart) moves nothing aside. Times going backwards are recorded as they were read; the chain and
 * sequence numbers, not the times, order the trail. Lost: events written before a restart and not
 * found, the same, after it. Recovery: the jump → the chain verified against its head.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAuditVerify } from '../../../electron/admin/audit-command.js';
import { formatHead, openAuditLog, type AuditHead, type AuditLog, type HeadKeeper } from '../../../electron/main/services/audit/audit-log.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { openVaultWithKek } from '../../../electron/main/services/vault/vault.js';
import type { BenchResult } from '../../harness.js';
import { drillRows } from '../drill-harness.js';
import { directionOf, jumpOf, MINUTE, simClock } from './sim-clock.js';

export async function auditRows(trials: number): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-clock-audit-'));
  const auditDir = path.join(dir, 'audit');
  const clock = simClock(Date.parse('2026-12-05T12:00:00Z'));
  let kept: AuditHead | undefined;
  const head: HeadKeeper = { load: () => kept, save: (h) => (kept = h) };
  const kek = randomBytes(32);
  let audit: AuditLog = openAuditLog({ dir: auditDir, now: clock.wall, head });
  const openVault = () => openVaultWithKek({ dir: path.join(dir, 'vault'), kek, audit, log: nullLogger, now: clock.wall, monotonic: clock.monotonic });
  let vault = openVault();
  let lost = 0;
  let backwards = 0;
  const broken: string[] = [];
  const recovery: number[] = [];
  try {
    for (let t = 0; t < trials; t++) {
      const before = audit.read().length;
      const call = { did: '0312345678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: clock.wall().toISOString() };
      const note = vault.create({ callId: `audit-${t}`, clientId: 'drill-client', training: false, call });
      clock.real += MINUTE;
      vault.save(note.id, { memo: `伝言 ${t}` });
      vault.setState(note.id, 'ready');
      vault.setState(note.id, 'handing-off');
      clock.offset += jumpOf(t);
      const jumped = performance.now();
      clock.real += MINUTE;
      vault.setState(note.id, 'delivered');
      vault.wipe(note.id, 'delivered');
      const events = audit.read();
      for (let i = Math.max(1, before); i < events.length; i++) if (Date.parse(events[i]!.at) < Date.parse(events[i - 1]!.at)) backwards += 1;
      const said: string[] = [];
      const status = await runAuditVerify([audit.path, '--head', formatHead(audit.head()!)], { out: (l) => said.push(l), err: (l) => said.push(l) });
      recovery.push(performance.now() - jumped);
      if (status !== 0 || !said.some((l) => l.startsWith('OK (anchored'))) broken.push(`${directionOf(t)}: ${said.join(' / ')}`);
      // A restart after the jump: the desk checks its file against the kept head.
      vault.close();
      audit.close();
      audit = openAuditLog({ dir: auditDir, now: clock.wall, head });
      vault = openVault();
      // Every line written before the restart is still there, the same.
      const again = audit.read();
      lost += events.filter((e, i) => again[i]?.hash !== e.hash).length;
      if (audit.movedAside || audit.rolledBack) broken.push(`${directionOf(t)}: moved aside at restart (${JSON.stringify(audit.movedAside ?? audit.rolledBack)})`);
      clock.offset = 0;
    }
    const inFile = audit.read().length;
    process.stdout.write(
      `  audit: ${trials} jumps: ${inFile} events, ${backwards} recorded with a time before the line above, ` +
        `${broken.length} check(s) that failed${broken.length ? `: ${broken.slice(0, 3).join('; ')}` : ''}\n`,
    );
    const name = 'drill:clock-jump:audit';
    return [
      ...drillRows(name, { trials, trialsUnit: 'jumps', lost, duplicates: null, recoveryMs: recovery, recoveryWhat: 'jump → chain verified against its head' }),
      { name, metric: 'chain checks failed or trail moved aside', value: broken.length, unit: 'checks', target: 0 },
    ];
  } finally {
    vault.close();
    audit.close();
    await rm(dir, { recursive: true, force: true });
  }
}

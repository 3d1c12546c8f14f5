/**
 * SIGKILL during autosave: a child types into notes and autosaves after every change (real vault,
 * fsync); it is killed at a random moment, the vault is opened again (the restart) and every save the
 * child had seen return must be there, intact. Recovery: the kill → the vault open and every note read.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAuditLog } from '../../electron/main/services/audit/audit-log.js';
import { nullLogger } from '../../electron/main/services/log.js';
import { openVaultWithKek } from '../../electron/main/services/vault/vault.js';
import { drillRows, killChild, QUICK, sleep, startChild, type Drill } from './drill-harness.js';

const TRIALS = QUICK ? 5 : 100;
const NOTES = 4;
/** The kill lands uniformly in this window after the child is ready to type. */
const KILL_WINDOW_MS = 400;

async function run() {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-autosave-'));
  const kek = randomBytes(32);
  const recovery: number[] = [];
  let lost = 0;
  let saves = 0;
  try {
    for (let t = 0; t < TRIALS; t++) {
      const child = startChild('autosave.ts', { dir, kek: kek.toString('base64'), notes: NOTES });
      await child.line((l) => l === 'ready');
      await sleep(Math.random() * KILL_WINDOW_MS);
      const killedAt = await killChild(child);
      const acked = new Map<string, number>();
      for (const l of child.lines) {
        const m = /^ack (\S+) (\d+)$/.exec(l);
        if (m) acked.set(m[1]!, Number(m[2]));
      }
      saves += child.lines.filter((l) => l.startsWith('ack ')).length;

      const audit = openAuditLog({ dir: path.join(dir, 'audit') });
      const vault = openVaultWithKek({ dir: path.join(dir, 'vault'), kek, audit, log: nullLogger });
      const stored = new Map<string, number>();
      for (const m of vault.list()) {
        const memo = vault.read(m.id).content.fields.memo ?? '';
        stored.set(m.id, Number(/^seq-(\d+)/.exec(memo)?.[1] ?? 0));
      }
      recovery.push(performance.now() - killedAt);
      if (vault.quarantined().length) lost += vault.quarantined().length;
      vault.close();
      audit.close();
      for (const [id, seq] of acked) if ((stored.get(id) ?? -1) < seq) lost += 1;
    }
    process.stdout.write(`  ${saves} saves acknowledged before ${TRIALS} kills\n`);
    return drillRows('drill:sigkill-autosave', { trials: TRIALS, lost, duplicates: null, recoveryMs: recovery, recoveryWhat: 'kill → vault reopened, every note read' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const drill: Drill = { title: `SIGKILL during autosave, ${TRIALS} kills at random moments`, run };
export default drill;

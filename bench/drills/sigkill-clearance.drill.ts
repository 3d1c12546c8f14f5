/**
 * SIGKILL during clearance: a day's data directory (notes in every state, their outbox jobs, the
 * shift key in the real keychain — run under with-keyring.sh), cleared by a child that is killed at
 * a random moment of the clearance; then the restart (recoverClearance, as the desk runs it before
 * the vault opens). The desk must be as it was or cleared, never half: a message lost is a note that
 * should still be there (every note when rolled back, the carried-over one when cleared) and is not,
 * or not with its text. Recovery: the kill → recoverClearance done.
 */
import { recoverClearance } from '../../electron/main/services/clearance/clearance.js';
import { privateSeed } from '../../electron/main/services/roster/ed25519.js';
import { deskState, makeDay, settleAll } from '../../test/integration/clearance/clearance-fixture.js';
import type { BenchResult } from '../harness.js';
import { drillRows, killChild, QUICK, sleep, startChild, type Drill } from './drill-harness.js';

const TRIALS = QUICK ? 5 : 100;

async function run(): Promise<BenchResult[]> {
  const recovery: number[] = [];
  const outcomes = { 'as before': 0, cleared: 0, half: 0 };
  let lost = 0;
  // The window the kill lands in: a clearance's length, measured on the first trial (not killed).
  let windowMs = 0;
  for (let t = 0; t <= TRIALS; t++) {
    const fx = await makeDay();
    try {
      const before = await deskState(fx);
      const child = startChild('clearance.ts', {
        service: fx.service,
        dataDir: fx.dataDir,
        notes: fx.notes,
        jobs: fx.jobs,
        settlements: settleAll(fx),
        seed: privateSeed(fx.deskKey).toString('base64url'),
      });
      await child.line((l) => l === 'start');
      if (t === 0) {
        windowMs = Number((await child.line((l) => l.startsWith('survived '))).split(' ')[1]) * 1.2;
        await child.exited;
        continue;
      }
      await sleep(Math.random() * windowMs);
      const killedAt = await killChild(child);
      const { deps, close } = await fx.deps();
      await recoverClearance(deps);
      recovery.push(performance.now() - killedAt);
      close();
      const after = await deskState(fx);
      const same = JSON.stringify(after.notes) === JSON.stringify(before.notes) && after.kek === before.kek && after.records.length === 0;
      const carried = fx.content.get(fx.ids.failed);
      const cleared =
        after.kek !== fx.oldKek &&
        after.records.length === 1 &&
        after.cleared.length === 1 &&
        Object.keys(after.notes).length === 1 &&
        JSON.stringify(after.notes[fx.ids.failed]) === JSON.stringify(carried);
      if (same) outcomes['as before'] += 1;
      else if (cleared) outcomes.cleared += 1;
      else {
        outcomes.half += 1;
        const kept = after.records.length ? [fx.ids.failed] : Object.keys(before.notes);
        lost += kept.filter((id) => JSON.stringify(after.notes[id]) !== JSON.stringify(before.notes[id])).length || 1;
      }
    } finally {
      await fx.cleanup();
    }
  }
  process.stdout.write(
    `  kills within ${Math.round(windowMs)} ms of the start: ${outcomes['as before']} left the desk as before, ${outcomes.cleared} cleared, ${outcomes.half} half\n`,
  );
  return [
    ...drillRows('drill:sigkill-clearance', { trials: TRIALS, lost, duplicates: null, recoveryMs: recovery, recoveryWhat: 'kill → recoverClearance done' }),
    { name: 'drill:sigkill-clearance', metric: 'desks left half cleared', value: outcomes.half, unit: 'desks', target: 0 },
  ];
}

const drill: Drill = { title: `SIGKILL during clearance, ${TRIALS} kills at random moments`, run };
export default drill;

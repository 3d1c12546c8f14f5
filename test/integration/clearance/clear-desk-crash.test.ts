/**
 * SIGKILL at each step of a clearance, then a restart (recoverClearance, as the desk runs it before
 * the vault opens): the desk is either as it was or cleared, never half. The clearance runs in a
 * child process on the same real keychain (with-keyring.sh) and kills itself after the step.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLEARANCE_STEPS, recoverClearance } from '../../../electron/main/services/clearance/clearance.js';
import { privateSeed } from '../../../electron/main/services/roster/ed25519.js';
import { keyringReady, notReadyMessage, repoRoot } from '../services/keychain-child.js';
import { deskState, makeDay, settleAll, type DayFixture } from './clearance-fixture.js';

let fx: DayFixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

const url = (rel: string) => JSON.stringify(pathToFileURL(path.join(repoRoot, rel)).href);

/** Runs the clearance in a child that SIGKILLs itself right after `killAt`; returns the signal it died of. */
function clearInChild(f: DayFixture, killAt: string): NodeJS.Signals | null {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-clear-child-'));
  const script = path.join(scratch, 'child.mts');
  const input = {
    service: f.service,
    dataDir: f.dataDir,
    notes: f.notes,
    jobs: f.jobs,
    settlements: settleAll(f),
    seed: privateSeed(f.deskKey).toString('base64url'),
    killAt,
  };
  fs.writeFileSync(
    script,
    `
import path from 'node:path';
import { clearDesk } from ${url('electron/main/services/clearance/clearance.ts')};
import { openAuditLog } from ${url('electron/main/services/audit/audit-log.ts')};
import { privateKeyFromSeed } from ${url('electron/main/services/roster/ed25519.ts')};
import { nullLogger } from ${url('electron/main/services/log.ts')};
import { keyStoreFor, outboxStoreOf } from ${url('test/integration/clearance/clearance-fixture.ts')};
const input = ${JSON.stringify(input)};
const keyStore = keyStoreFor(input.service, input.dataDir);
const deps = {
  dataDir: input.dataDir,
  keyStore,
  audit: openAuditLog({ dir: path.join(input.dataDir, 'audit') }),
  outboxStore: await outboxStoreOf(keyStore, input.dataDir),
  log: nullLogger,
  onStep: (s: string) => { if (s === input.killAt) process.kill(process.pid, 'SIGKILL'); },
};
await clearDesk(deps, { notes: input.notes, jobs: input.jobs, settlements: input.settlements, confirmedBy: { personId: 'sl-001', role: 'shift-lead' }, deskId: 'desk-01', deskKey: privateKeyFromSeed(Buffer.from(input.seed, 'base64url')) });
process.stdout.write('survived');
`,
  );
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, env: process.env, encoding: 'utf8', timeout: 30_000 });
    if (run.signal !== 'SIGKILL') throw new Error(`the child was not killed at ${killAt} (status ${run.status}, signal ${run.signal})\n${run.stdout}\n${run.stderr}`);
    return run.signal;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

describe.skipIf(!keyringReady)(`a clearance killed at each step${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  const commit = CLEARANCE_STEPS.indexOf('committed');
  it.each(CLEARANCE_STEPS.map((s, i) => [s, i < commit ? 'as before' : 'cleared'] as const))('killed after %s, the restarted desk is %s', async (step, expected) => {
    fx = await makeDay();
    const before = await deskState(fx);
    expect(clearInChild(fx, step)).toBe('SIGKILL');

    const { deps, close } = await fx.deps();
    const recovered = await recoverClearance(deps);
    close();
    const after = await deskState(fx);
    expect(after.journal).toBe(false);
    expect(after.nextKek).toBeNull();
    if (expected === 'as before') {
      expect(recovered).toBe(step === 'journal-prepared' || step === 'next-key-stored' || step === 'keys-rewrapped' ? 'rolled-back' : 'none');
      expect(after).toEqual(before);
      expect(fs.existsSync(path.join(fx.dataDir, 'vault', 'keys.next.jsonl'))).toBe(false);
    } else {
      expect(recovered).toBe(step === 'done' ? 'none' : 'finished');
      expect(after.notes).toEqual({ [fx.ids.failed]: fx.content.get(fx.ids.failed) });
      expect(after.kek).not.toBe(fx.oldKek);
      expect(after.jobs).toEqual([fx.ids.failed]);
      expect(after.records).toHaveLength(1);
      expect(after.cleared).toHaveLength(1);
    }
  });
});

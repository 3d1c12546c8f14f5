/**
 * Clearing one desk with the engine, on real parts (keychain via with-keyring.sh, vault, audit
 * trail, sealed outbox): settlements are required, carry-over and discard work, the old shift key is
 * gone from the keychain, ciphertext captured before cannot be opened, and the record is signed,
 * chained and names nobody.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearDesk, planClearance } from '../../../electron/main/services/clearance/clearance.js';
import { recordHash, verifyRecordSignature } from '../../../electron/main/services/clearance/deletion-record.js';
import { createClipboardGuard, createMemoryClipboard } from '../../../electron/main/services/clipboard/clipboard-guard.js';
import { unwrapDataKey } from '../../../electron/main/services/vault/note-crypto.js';
import { KeyLineSchema } from '../../../electron/main/services/vault/note-file.js';
import { createPublicKey } from 'node:crypto';
import { keyringReady, notReadyMessage } from '../services/keychain-child.js';
import { allFiles, CANARY, deskState, makeDay, settleAll, type DayFixture } from './clearance-fixture.js';

const lead = { personId: 'sl-001', role: 'shift-lead' as const };
let fx: DayFixture | undefined;

afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

describe.skipIf(!keyringReady)(`clearing one desk${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  it('plans with counts and every undelivered message (client, channels, state, reason), never content', async () => {
    fx = await makeDay();
    const plan = await planClearance(fx, fx.notes, fx.jobs);
    expect(plan.notes).toEqual({ draft: 1, ready: 1, handingOff: 1, failed: 1, delivered: 0, training: 1 });
    expect(plan.jobs).toMatchObject({ failed: 1, retrying: 1, delivered: 1 });
    expect(plan.leftovers).toBe(1);
    expect(plan.shiftKey).toBe(true);
    const failed = plan.undelivered.find((u) => u.noteId === fx!.ids.failed);
    expect(failed).toMatchObject({ clientId: 'midori-law', channels: ['webhook'], state: 'failed', reason: 'rejected' });
    expect(plan.undelivered.map((u) => u.noteId).sort()).toEqual([fx.ids.draft, fx.ids.ready, fx.ids.failed, fx.ids.handingOff].sort());
    const text = JSON.stringify(plan);
    for (const c of Object.values(CANARY)) expect(text).not.toContain(c);
  });

  it('refuses a clearance with one undelivered message unsettled, and leaves the desk as it was', async () => {
    fx = await makeDay();
    const before = await deskState(fx);
    const { deps, close } = await fx.deps();
    await expect(
      clearDesk(deps, { notes: fx.notes, jobs: fx.jobs, settlements: settleAll(fx).slice(1), confirmedBy: lead, deskId: 'desk-01', deskKey: fx.deskKey }),
    ).rejects.toThrow(/1 undelivered message\(s\) have no settlement/);
    close();
    expect(await deskState(fx)).toEqual(before);
  });

  it('refuses retry and fallback as settlements (a message sent again is settled by its delivery), and leaves the desk as it was', async () => {
    fx = await makeDay();
    const before = await deskState(fx);
    const { deps, close } = await fx.deps();
    for (const action of ['retry', 'fallback'] as const) {
      const settlements = settleAll(fx).map((s) => (s.noteId === fx!.ids.failed ? { noteId: s.noteId, action } : s));
      await expect(clearDesk(deps, { notes: fx.notes, jobs: fx.jobs, settlements, confirmedBy: lead, deskId: 'desk-01', deskKey: fx.deskKey })).rejects.toThrow(/settled once it is delivered/);
    }
    close();
    expect(await deskState(fx)).toEqual(before);
  });

  it('erases the shift key, deletes the rest, carries one note over under a new key, and signs a chained record naming nobody', async () => {
    fx = await makeDay();
    const capturedKeys = fs.readFileSync(path.join(fx.dataDir, 'vault', 'keys.jsonl'), 'utf8');
    const { deps, close } = await fx.deps();
    const record = await clearDesk(deps, { notes: fx.notes, jobs: fx.jobs, settlements: settleAll(fx), confirmedBy: lead, deskId: 'desk-01', deskKey: fx.deskKey });
    close();

    const after = await deskState(fx);
    // Only the carried-over note opens, with what was typed; its undelivered job stays.
    expect(after.notes).toEqual({ [fx.ids.failed]: fx.content.get(fx.ids.failed) });
    expect(after.jobs).toEqual([fx.ids.failed]);
    // The old shift key is gone from the real keychain; a new one is in its place.
    expect(after.kek).not.toBeNull();
    expect(after.kek).not.toBe(fx.oldKek);
    expect(after.nextKek).toBeNull();
    expect(after.journal).toBe(false);
    // Ciphertext captured before: no key left on the desk opens a discarded note's data key.
    const discarded = capturedKeys.split('\n').filter(Boolean).map((l) => KeyLineSchema.parse(JSON.parse(l))).find((k) => k.id === fx!.ids.draft)!;
    expect(() => unwrapDataKey(discarded.key, Buffer.from(after.kek!, 'base64'), discarded.id)).toThrow();
    expect(fs.existsSync(path.join(fx.dataDir, 'vault', 'notes', `${fx.ids.draft}.note`))).toBe(false);
    expect(fs.readdirSync(path.join(fx.dataDir, 'crash-dumps', 'pending'))).toEqual([]);

    expect(record).toMatchObject({
      seq: 1,
      deskId: 'desk-01',
      by: lead,
      destroyed: { notes: { draft: 1, ready: 1, handingOff: 1, failed: 0, delivered: 0, training: 1 }, outboxJobs: 2, leftovers: 1 },
      carriedOver: { notes: 1, outboxJobs: 1 },
      discarded: { notes: 3, reasons: { 'test-call': 1, duplicate: 2 } },
      prev: '0'.repeat(64),
    });
    expect(verifyRecordSignature(record, createPublicKey(fx.deskKey))).toBe(true);
    expect(after.records).toEqual([record]);
    expect(after.cleared).toHaveLength(1);
    expect(after.cleared[0]).toMatchObject({ record: recordHash(record), count: 4 });

    // A second clearance chains to the first.
    const { deps: deps2, close: close2 } = await fx.deps();
    const second = await clearDesk(deps2, {
      notes: [fx.notes.find((n) => n.id === fx!.ids.failed)!],
      jobs: [],
      settlements: [{ noteId: fx.ids.failed, action: 'discard', reason: 'client-informed-by-phone' }],
      confirmedBy: lead,
      deskId: 'desk-01',
      deskKey: fx.deskKey,
    });
    close2();
    expect(second.seq).toBe(2);
    expect(second.prev).toBe(recordHash(record));
    expect((await deskState(fx)).notes).toEqual({});

    // Nothing besides the data directory was cleared: the engine had no page and no clipboard to clear.
    expect(record.destroyed.rendererStorage).toBeUndefined();
    expect(record.destroyed.clipboard).toBeUndefined();

    // The canary: nothing typed is anywhere under the data directory, in any encoding.
    const everything = Buffer.concat(allFiles(fx.dataDir).map((f) => fs.readFileSync(f)));
    for (const c of Object.values(CANARY)) {
      for (const needle of [Buffer.from(c, 'utf8'), Buffer.from(c, 'utf16le'), Buffer.from(Buffer.from(c, 'utf8').toString('base64'))]) {
        expect(everything.includes(needle)).toBe(false);
      }
    }
  });

  it("clears the renderer's storage and the desk's clipboard copy as steps of the clearance, counted in the signed record", async () => {
    fx = await makeDay();
    const { deps, close } = await fx.deps();
    const board = createMemoryClipboard();
    const guard = createClipboardGuard(board, { setTimer: () => 0, clearTimer: () => undefined });
    await guard.copy(CANARY.text);
    let storageCleared = 0;
    const record = await clearDesk(
      { ...deps, clearRendererStorage: () => Promise.resolve(++storageCleared && 7), clearClipboard: () => guard.clearNow() },
      { notes: fx.notes, jobs: fx.jobs, settlements: settleAll(fx), confirmedBy: lead, deskId: 'desk-01', deskKey: fx.deskKey },
    );
    close();
    expect(storageCleared).toBe(1);
    expect(board.text).toBe('');
    expect(record.destroyed).toMatchObject({ rendererStorage: 7, clipboard: 1 });
    expect(verifyRecordSignature(record, createPublicKey(fx.deskKey))).toBe(true);
  });

  it('leaves a clipboard another program wrote to alone, and records that nothing of ours was there', async () => {
    fx = await makeDay();
    const { deps, close } = await fx.deps();
    const board = createMemoryClipboard();
    const guard = createClipboardGuard(board, { setTimer: () => 0, clearTimer: () => undefined });
    await guard.copy(CANARY.text);
    await board.writeConcealed('someone else');
    const record = await clearDesk(
      { ...deps, clearClipboard: () => guard.clearNow() },
      { notes: fx.notes, jobs: fx.jobs, settlements: settleAll(fx), confirmedBy: lead, deskId: 'desk-01', deskKey: fx.deskKey },
    );
    close();
    expect(board.text).toBe('someone else');
    expect(record.destroyed.clipboard).toBe(0);
  });

  it("refuses the clearance, and leaves the desk as it was, when the renderer's storage cannot be cleared", async () => {
    fx = await makeDay();
    const before = await deskState(fx);
    const { deps, close } = await fx.deps();
    await expect(
      clearDesk(
        { ...deps, clearRendererStorage: () => Promise.reject(new Error('profile busy')) },
        { notes: fx.notes, jobs: fx.jobs, settlements: settleAll(fx), confirmedBy: lead, deskId: 'desk-01', deskKey: fx.deskKey },
      ),
    ).rejects.toThrow(/renderer storage could not be cleared/);
    close();
    expect(await deskState(fx)).toEqual(before);
  });
});

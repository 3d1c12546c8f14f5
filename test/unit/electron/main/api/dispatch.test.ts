/**
 * electron/main/api/dispatch.ts: a write the disk refuses for want of space reaches the operator as
 * 'disk-full' (the alert then says what to do), not as an unexplained internal error; other failures
 * stay 'internal' and say no more than the method's name.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDispatch } from '../../../../../electron/main/api/dispatch.js';
import { nullLogger } from '../../../../../electron/main/services/log.js';
import type { ApiHandlers } from '../../../../../shared/ipc/contract.js';

/** Linux's /dev/full refuses every write with ENOSPC: the real error a full disk gives. */
function writeToFullDisk(): never {
  writeFileSync('/dev/full', 'note');
  throw new Error('/dev/full accepted a write');
}

const dispatchWith = (listNotes: () => unknown) => createDispatch({ listNotes } as unknown as ApiHandlers, nullLogger);

describe('dispatching a call whose handler fails', () => {
  it.runIf(process.platform === 'linux')('answers disk-full for a write the disk refused, however deep it was wrapped', async () => {
    const direct = await dispatchWith(writeToFullDisk)('listNotes', undefined);
    expect(direct).toMatchObject({ ok: false, error: { code: 'disk-full' } });
    const wrapped = await dispatchWith(() => {
      try {
        writeToFullDisk();
      } catch (cause) {
        throw new Error('the note could not be written', { cause });
      }
    })('listNotes', undefined);
    expect(wrapped).toMatchObject({ ok: false, error: { code: 'disk-full' } });
  });

  it('answers internal for any other failure, naming only the method', async () => {
    const answer = await dispatchWith(() => {
      throw new Error('secret 09012345678');
    })('listNotes', undefined);
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: 'listNotes failed unexpectedly; see the desk log.', details: [] } });
  });
});

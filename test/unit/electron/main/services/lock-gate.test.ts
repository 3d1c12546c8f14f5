import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { methodNames, type ApiHandlers } from '../../../../../shared/ipc/contract.js';
import { ApiError } from '../../../../../shared/ipc/errors.js';
import { gateWhileLocked, WHILE_LOCKED } from '../../../../../electron/main/services/lock-gate.js';

const SOURCE = readFileSync(path.resolve(import.meta.dirname, '../../../../../electron/main/services/lock-gate.ts'), 'utf8');

/** Handlers that answer their own method's name, as a stand-in for the desk's. */
function echoHandlers(): ApiHandlers {
  return Object.fromEntries(methodNames.map((m) => [m, () => m])) as unknown as ApiHandlers;
}

describe('what the main process answers while the desk is locked', () => {
  it('has every contract method classified, in the table and in the code alike — classify a new method in lock-gate.ts when this fails', () => {
    expect(Object.keys(WHILE_LOCKED).sort()).toEqual([...methodNames].sort());
    const table = new Map([...SOURCE.matchAll(/^ \* \| (\w+) +\| (allow|refuse) +\|/gm)].map((m) => [m[1], m[2]]));
    expect(Object.fromEntries(table)).toEqual(WHILE_LOCKED);
  });

  it('refuses note content, caller and client data and exports, and lets autosave, the line, the ring and the lock itself through', () => {
    for (const m of ['openNote', 'listNotes', 'popIncomingCall', 'clientLabels', 'listClients', 'listOutbox', 'getAudit', 'copyNoteText', 'exportDeletionRecord', 'planClearance'] as const) {
      expect(WHILE_LOCKED[m], m).toBe('refuse');
    }
    for (const m of ['saveNote', 'getLine', 'getLinePassword', 'floorReport', 'reportDeskBusy', 'rosterState', 'unlock', 'lockDesk', 'signOut'] as const) {
      expect(WHILE_LOCKED[m], m).toBe('allow');
    }
  });

  it('answers a refused method with a typed desk-locked error only while locked', () => {
    let locked = true;
    const gated = gateWhileLocked(echoHandlers(), () => locked);
    const openNote = () => gated.openNote({ callId: 'c1' });
    expect(openNote).toThrow(ApiError);
    expect(openNote).toThrow(expect.objectContaining({ code: 'desk-locked' }) as Error);
    expect(gated.saveNote({ noteId: 'n1', fields: {} })).toBe('saveNote');
    expect(gated.unlock({ secret: 'x' })).toBe('unlock');
    locked = false;
    expect(openNote()).toBe('openNote');
  });

  it('refuses, while locked, a handler the table does not know (unclassified means closed)', () => {
    const handlers = { ...echoHandlers(), someNewMethod: () => 'secret' } as unknown as ApiHandlers;
    const gated = gateWhileLocked(handlers, () => true) as unknown as Record<string, () => unknown>;
    expect(() => gated.someNewMethod!()).toThrow(expect.objectContaining({ code: 'desk-locked' }) as Error);
  });
});

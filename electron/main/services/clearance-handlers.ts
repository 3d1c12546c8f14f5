/**
 * Clearance on the API (issue 10 §2–§4): plan, clear, list records. Only a shift lead signed in at
 * this desk may call them (roster role 'shift-lead'); anyone else is refused and nothing is read.
 * The clearance runs with the vault and the outbox suspended (NotesPort) and signs its record with
 * this desk's key.
 */
import { MAX_UNDELIVERED } from '../../../shared/clearance/schema.js';
import { fallbackChannel } from '../../../shared/directory/schema.js';
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { clearDesk, planClearance } from './clearance/clearance.js';
import { lastRecord, listRecords, parseRecord } from './clearance/deletion-record.js';
import type { DeskContext, NotesPort } from './desk-context.js';

export type ClearanceHandlers = Pick<ApiHandlers, 'planClearance' | 'clearDesk' | 'sendUndelivered' | 'exportDeletionRecord' | 'listDeletionRecords'>;

export function createClearanceHandlers(ctx: DeskContext): ClearanceHandlers {
  // The roster service is this desk's floor identity; tests and dev-web may pass a fixture instead.
  const identity = ctx.options.floorIdentity ?? ctx.floor;
  function shiftLead(): { personId: string } {
    const who = identity.signedIn();
    if (!who) throw new ApiError('not-allowed', 'Nobody is signed in at this desk: only a shift lead may clear it.');
    if (!who.person.roles.includes('shift-lead')) throw new ApiError('not-allowed', 'Only a shift lead may clear a desk or see its deletion records.');
    return { personId: who.person.id };
  }
  function notes(): NotesPort {
    if (!ctx.notesPort) throw new ApiError('keychain-unavailable', 'The vault is not open on this desk, so there is nothing it can clear (see the desk warnings).');
    return ctx.notesPort;
  }

  /** The engine's plan, each row with its client's fallback channel and whether it was sent again. */
  const plan = async () => {
    const port = notes();
    const jobs = port.jobs();
    const p = await planClearance({ dataDir: ctx.options.dataDir, keyStore: ctx.options.keyStore }, port.notes(), jobs);
    const undelivered = p.undelivered.map((item) => {
      const own = jobs.filter((j) => j.noteId === item.noteId);
      const resent = own.some((j) => j.fallback === true) ? 'fallback' : (resentNotes.has(item.noteId) ? 'retry' : null);
      return { ...item, fallback: fallbackKind(item.clientId), resent } as const;
    });
    return { ...p, undelivered };
  };
  /** Notes sent again by "retry now" since the desk started (the outbox keeps no mark for a retry). */
  const resentNotes = new Set<string>();
  function fallbackKind(clientId: string | null) {
    if (clientId === null) return null;
    try {
      const client = ctx.active().index.byId(clientId);
      return client ? (fallbackChannel(client.handOff)?.kind ?? null) : null;
    } catch {
      return null;
    }
  }

  return {
    async planClearance() {
      shiftLead();
      return plan();
    },

    async sendUndelivered({ noteId, action }) {
      shiftLead();
      const port = notes();
      // Only what the plan lists as undelivered: never a training note, never one delivered already.
      if (!(await plan()).undelivered.some((i) => i.noteId === noteId)) {
        throw new ApiError('not-found', 'That message is not undelivered on this desk (it may have been delivered meanwhile).');
      }
      if (action === 'retry') {
        port.sendAgain(noteId);
        if (resentNotes.size < MAX_UNDELIVERED) resentNotes.add(noteId);
      } else port.sendByFallback(noteId);
      return plan();
    },

    async clearDesk({ settlements, confirm }) {
      const { personId } = shiftLead();
      const desk = identity.thisDesk();
      if (!desk) throw new ApiError('not-allowed', 'This desk is not in the team roster, so it cannot sign a deletion record.');
      if (confirm !== desk.id) throw new ApiError('invalid-argument', `Type the desk's id (${desk.id}) to confirm the clearance.`);
      const port = notes();
      const deskKey = identity.deskKey();
      const before = lastRecord(ctx.options.dataDir)?.seq ?? 0;
      try {
        const clipboard = ctx.clipboard;
        const besides = {
          ...(ctx.options.clearRendererStorage ? { clearRendererStorage: ctx.options.clearRendererStorage } : {}),
          ...(clipboard ? { clearClipboard: () => clipboard.clearNow() } : {}),
        };
        return await port.suspended((deps, held) =>
          clearDesk({ ...deps, ...besides }, { notes: held.notes, jobs: held.jobs, settlements, confirmedBy: { personId, role: 'shift-lead' }, deskId: desk.id, deskKey }),
        );
      } catch (err) {
        // Past its commit, a clearance the keychain interrupted is finished before the vault reopens:
        // then the desk is cleared and the shift lead gets the record, not the passing error.
        const after = lastRecord(ctx.options.dataDir);
        if (after && after.seq === before + 1) return after;
        throw err;
      }
    },

    async exportDeletionRecord({ fileName, text }) {
      shiftLead();
      // A JSON export is a deletion record and nothing else (the sheet is HTML the page made from one).
      if (fileName.endsWith('.json') && typeof parseRecord(text) === 'string') throw new ApiError('invalid-argument', 'The export is not a deletion record.');
      const save = ctx.options.saveFile;
      if (!save) return { saved: false, via: 'page' as const };
      return { saved: await save(fileName, text), via: 'desk' as const };
    },

    async listDeletionRecords({ limit }) {
      shiftLead();
      return listRecords(ctx.options.dataDir, limit);
    },
  };
}

/**
 * Clearance on the API (issue 10 §2–§4): plan, clear, list records. Only a shift lead signed in at
 * this desk may call them (roster role 'shift-lead'); anyone else is refused and nothing is read.
 * The clearance runs with the vault and the outbox suspended (NotesPort) and signs its record with
 * this desk's key.
 */
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { clearDesk, planClearance } from './clearance/clearance.js';
import { lastRecord, listRecords } from './clearance/deletion-record.js';
import type { DeskContext, NotesPort } from './desk-context.js';

export type ClearanceHandlers = Pick<ApiHandlers, 'planClearance' | 'clearDesk' | 'listDeletionRecords'>;

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

  return {
    async planClearance() {
      shiftLead();
      const port = notes();
      return planClearance({ dataDir: ctx.options.dataDir, keyStore: ctx.options.keyStore }, port.notes(), port.jobs());
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
        return await port.suspended((deps, held) =>
          clearDesk(deps, { notes: held.notes, jobs: held.jobs, settlements, confirmedBy: { personId, role: 'shift-lead' }, deskId: desk.id, deskKey }),
        );
      } catch (err) {
        // Past its commit, a clearance the keychain interrupted is finished before the vault reopens:
        // then the desk is cleared and the shift lead gets the record, not the passing error.
        const after = lastRecord(ctx.options.dataDir);
        if (after && after.seq === before + 1) return after;
        throw err;
      }
    },

    async listDeletionRecords({ limit }) {
      shiftLead();
      return listRecords(ctx.options.dataDir, limit);
    },
  };
}

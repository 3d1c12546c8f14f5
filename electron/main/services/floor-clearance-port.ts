/**
 * What a floor clearance command (issue 10 §4) needs of this desk: how many messages are undelivered,
 * and a clearance with no settlements confirmed by the command's shift lead — the same engine, vault
 * suspension and record as End of day (clearance-handlers.ts), without a shift lead signed in here.
 */
import { clearDesk, undeliveredItems } from './clearance/clearance.js';
import { lastRecord } from './clearance/deletion-record.js';
import type { DeskContext } from './desk-context.js';
import type { DeskClearancePort } from './floor/floor-clearance.js';
import type { FloorIdentity } from './roster/floor-identity.js';

export function deskClearancePort(ctx: DeskContext, identity: FloorIdentity, onCleared: () => void = () => undefined): DeskClearancePort {
  return {
    async undelivered() {
      const port = ctx.notesPort;
      if (!port) return null;
      const counts = { draft: 0, ready: 0, handingOff: 0, failed: 0 };
      for (const item of undeliveredItems(port.notes(), port.jobs())) {
        if (item.state === 'handing-off') counts.handingOff += 1;
        else counts[item.state] += 1;
      }
      return counts;
    },

    async clear(personId) {
      const port = ctx.notesPort;
      const desk = identity.thisDesk();
      if (!port || !desk) throw new Error('this desk cannot clear: no vault, or not in the roster');
      const deskKey = identity.deskKey();
      const before = lastRecord(ctx.options.dataDir)?.seq ?? 0;
      try {
        const record = await port.suspended((deps, held) =>
          clearDesk(deps, { notes: held.notes, jobs: held.jobs, settlements: [], confirmedBy: { personId, role: 'shift-lead' }, deskId: desk.id, deskKey }),
        );
        onCleared();
        return record;
      } catch (err) {
        // Past its commit, a clearance the keychain interrupted is finished before the vault reopens.
        const after = lastRecord(ctx.options.dataDir);
        if (after && after.seq === before + 1) {
          onCleared();
          return after;
        }
        throw err;
      }
    },
  };
}

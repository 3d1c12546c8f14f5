/**
 * Notes, hand-off, the outbox and the audit trail on the API (issue 4).
 */
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import type { DeskContext } from './desk.js';

export type NoteHandlers = Pick<
  ApiHandlers,
  | 'openNote'
  | 'saveNote'
  | 'handOffNote'
  | 'discardNote'
  | 'listNotes'
  | 'listOutbox'
  | 'retryOutboxJob'
  | 'getAudit'
  | 'setHandOffSecret'
>;

const notYet = (): never => {
  throw new ApiError('not-allowed', 'Taking notes is not available in this build yet.');
};

export async function createNoteHandlers(_ctx: DeskContext): Promise<NoteHandlers> {
  return {
    openNote: notYet,
    saveNote: notYet,
    handOffNote: notYet,
    discardNote: notYet,
    listNotes: () => [],
    listOutbox: () => [],
    retryOutboxJob: notYet,
    getAudit: () => ({ events: [], chain: { ok: true, events: 0 } }),
    setHandOffSecret: notYet,
  };
}

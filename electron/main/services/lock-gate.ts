/**
 * The idle lock, kept by the main process too (issue 11 §2). The page hides the desk behind the lock
 * screen, but a page is only a page: while the signed-in person's desk is locked, the main process
 * itself refuses every call that would hand out caller or client data or a note's content, or act on
 * them, with ApiError('desk-locked'). What must go on underneath goes on: a note already open keeps
 * saving, the outbox keeps delivering (it runs in main, not through calls), the line keeps its
 * registration and its password, a ring is known to ring, the floor keeps hearing from the desk, and
 * the lock itself can be asked about and opened.
 *
 * Every contract method is classified below (the Record fails to compile without one; a unit test,
 * test/unit/electron/main/services/lock-gate.test.ts, fails too). A new method is refused until
 * someone decides otherwise here.
 *
 * | method                 | while locked | why                                                              |
 * |------------------------|--------------|------------------------------------------------------------------|
 * | getDeskState           | allow        | mode, keychain, directory counts: no caller or client data       |
 * | listClients            | refuse       | the client directory                                             |
 * | simulateCall           | refuse       | returns a pop (client script); a rehearsal needs someone there   |
 * | getSettings            | allow        | the language the lock screen speaks                              |
 * | updateSettings         | allow        | the same (switched for whoever unlocks)                          |
 * | importDirectory        | refuse       | changes the desk's setup from a screen nobody may see            |
 * | getLine                | allow        | the line re-registers underneath (server and AOR, no caller)     |
 * | pairLine               | refuse       | setup, from the hidden settings                                  |
 * | unpairLine             | refuse       | setup, from the hidden settings                                  |
 * | getLinePassword        | allow        | the line re-registers underneath after a drop                    |
 * | importProvisioning     | refuse       | setup, from the hidden settings                                  |
 * | probeLineServer        | refuse       | setup, from the hidden settings                                  |
 * | popIncomingCall        | refuse       | the caller's client and script; the page asks again on unlock    |
 * | clientLabels           | refuse       | client names by number; the page loads them again on unlock      |
 * | resolveTransferTarget  | refuse       | a client's staff number                                          |
 * | openNote               | refuse       | a note's content                                                 |
 * | saveNote               | allow        | autosave of the note already open goes on underneath             |
 * | handOffNote            | refuse       | acts on a note; the button is behind the lock                    |
 * | discardNote            | refuse       | acts on a note                                                   |
 * | listNotes              | refuse       | notes by client; the page lists them again on unlock             |
 * | listOutbox             | refuse       | the outbox by client (delivery itself goes on in main)           |
 * | retryOutboxJob         | refuse       | acts on a hand-off                                               |
 * | getAudit               | refuse       | the audit trail (notes and clients by id)                        |
 * | copyNoteText           | refuse       | a note's content onto the clipboard                              |
 * | setHandOffSecret       | refuse       | setup, from the hidden settings                                  |
 * | deskIdentity           | allow        | this desk's public key                                           |
 * | rosterState            | allow        | the lock status itself                                           |
 * | importRoster           | refuse       | setup; could change who may unlock                               |
 * | signIn                 | allow        | a colleague taking the desk signs in with their own secret       |
 * | unlock                 | allow        | the way out of the lock                                          |
 * | lockDesk               | allow        | locking again is always safe                                     |
 * | signOut                | allow        | the lock screen offers it (a colleague taking the desk)          |
 * | floorReport            | allow        | the floor keeps hearing from the desk (a ring, the line)         |
 * | floorDeliver           | allow        | floor messages arriving over the line are handled underneath     |
 * | floorWatch             | allow        | keeps the supervisor's watch lease; the board itself is refused  |
 * | getFloorBoard          | refuse       | every desk's calls and clients; the page asks again on unlock    |
 * | signMonitorRequest     | refuse       | starts listening to a call: someone must be there                |
 * | checkMonitorRequest    | allow        | a supervisor's request arriving on the line is judged underneath |
 * | endMonitorSession      | allow        | ending a monitor session is always safe                          |
 * | planClearance          | refuse       | the undelivered messages by client                               |
 * | clearDesk              | refuse       | destroys notes                                                   |
 * | sendUndelivered        | refuse       | acts on notes                                                    |
 * | exportDeletionRecord   | refuse       | an export                                                        |
 * | listDeletionRecords    | refuse       | the records of what was destroyed (read with the plan)           |
 * | floorClearAll          | refuse       | clears the floor: someone must be there                          |
 * | floorClearanceUnsent   | allow        | records that a clearance already started could not be sent       |
 * | getFloorClearance      | allow        | counts per desk, no content                                      |
 * | reportDeskBusy         | allow        | keeps a clearance off a desk with a call up, underneath          |
 * | getClearanceNotice     | allow        | counts and who cleared, no content                               |
 * | dismissClearanceNotice | refuse       | the operator's acknowledgement, from the hidden desk             |
 * | lineLogLevel           | allow        | the line's own (redacted) log goes on                            |
 * | writeLineLog           | allow        | the same                                                         |
 */
import type { ApiHandlers, MethodName } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';

export type WhileLocked = 'allow' | 'refuse';

/** What each contract method does while the desk is locked (the table above). */
export const WHILE_LOCKED: Readonly<Record<MethodName, WhileLocked>> = {
  getDeskState: 'allow',
  listClients: 'refuse',
  simulateCall: 'refuse',
  getSettings: 'allow',
  updateSettings: 'allow',
  importDirectory: 'refuse',
  getLine: 'allow',
  pairLine: 'refuse',
  unpairLine: 'refuse',
  getLinePassword: 'allow',
  importProvisioning: 'refuse',
  probeLineServer: 'refuse',
  popIncomingCall: 'refuse',
  clientLabels: 'refuse',
  resolveTransferTarget: 'refuse',
  openNote: 'refuse',
  saveNote: 'allow',
  handOffNote: 'refuse',
  discardNote: 'refuse',
  listNotes: 'refuse',
  listOutbox: 'refuse',
  retryOutboxJob: 'refuse',
  getAudit: 'refuse',
  copyNoteText: 'refuse',
  setHandOffSecret: 'refuse',
  deskIdentity: 'allow',
  rosterState: 'allow',
  importRoster: 'refuse',
  signIn: 'allow',
  unlock: 'allow',
  lockDesk: 'allow',
  signOut: 'allow',
  floorReport: 'allow',
  floorDeliver: 'allow',
  floorWatch: 'allow',
  getFloorBoard: 'refuse',
  signMonitorRequest: 'refuse',
  checkMonitorRequest: 'allow',
  endMonitorSession: 'allow',
  planClearance: 'refuse',
  clearDesk: 'refuse',
  sendUndelivered: 'refuse',
  exportDeletionRecord: 'refuse',
  listDeletionRecords: 'refuse',
  floorClearAll: 'refuse',
  floorClearanceUnsent: 'allow',
  getFloorClearance: 'allow',
  reportDeskBusy: 'allow',
  getClearanceNotice: 'allow',
  dismissClearanceNotice: 'refuse',
  lineLogLevel: 'allow',
  writeLineLog: 'allow',
};

/** The refusal a locked desk answers; the page takes it quietly (it is behind the lock screen anyway). */
export function deskLocked(method: string): ApiError {
  return new ApiError('desk-locked', `${method}: the desk is locked. Unlock it to see or change this.`);
}

/**
 * `handlers` with every method the table refuses guarded by `isLocked`. A method missing from the
 * table (a handler object wider than the contract) is refused too: unclassified means closed.
 */
export function gateWhileLocked(handlers: ApiHandlers, isLocked: () => boolean): ApiHandlers {
  const gated: Record<string, (args: unknown) => unknown> = {};
  for (const [method, handler] of Object.entries(handlers) as [string, (args: unknown) => unknown][]) {
    const rule = Object.hasOwn(WHILE_LOCKED, method) ? WHILE_LOCKED[method as MethodName] : 'refuse';
    gated[method] =
      rule === 'allow'
        ? handler
        : (args: unknown) => {
            if (isLocked()) throw deskLocked(method);
            return handler(args);
          };
  }
  return gated as ApiHandlers;
}

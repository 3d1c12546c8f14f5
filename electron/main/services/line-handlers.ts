/**
 * The line's side of the API (issue 3): pairing, provisioning, the password in the keychain, the pop
 * for a real call and hidden transfer targets.
 */
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import type { DeskContext } from './desk.js';

export type LineHandlers = Pick<
  ApiHandlers,
  'getLine' | 'pairLine' | 'unpairLine' | 'getLinePassword' | 'importProvisioning' | 'popIncomingCall' | 'resolveTransferTarget'
>;

const notYet = (): never => {
  throw new ApiError('not-allowed', 'Pairing a SIP line is not available in this build yet.');
};

export async function createLineHandlers(_ctx: DeskContext): Promise<LineHandlers> {
  return {
    getLine: () => ({ paired: false, profile: null, hasPassword: false }),
    pairLine: notYet,
    unpairLine: () => ({ paired: false, profile: null, hasPassword: false }),
    getLinePassword: notYet,
    importProvisioning: notYet,
    popIncomingCall: notYet,
    resolveTransferTarget: notYet,
  };
}

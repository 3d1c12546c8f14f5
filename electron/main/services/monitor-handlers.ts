/**
 * Listen / whisper / barge on the API (issue 9 §6): the supervisor desk signs requests with the
 * signed-in person's key; the operator desk checks them with the MonitorGate and keeps the sessions.
 * Every start, mode change, stop and refusal is one event in the desk's audit trail (closed codes).
 */
import { randomBytes } from 'node:crypto';
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import type { AuditInput } from './audit/audit-log.js';
import type { DeskContext } from './desk-context.js';
import { MonitorGate, signMonitorRequest } from './floor/monitor-gate.js';

export type MonitorHandlers = Pick<ApiHandlers, 'signMonitorRequest' | 'checkMonitorRequest' | 'endMonitorSession'>;

export function createMonitorHandlers(ctx: DeskContext): MonitorHandlers {
  // The roster service is this desk's floor identity; tests and dev-web may pass a fixture instead.
  const identity = ctx.options.floorIdentity ?? ctx.floor;
  const audit = (event: AuditInput): void => {
    if (!ctx.audit) {
      ctx.log.warn('monitor.unaudited', { type: event.type, reason: event.reason ?? null });
      return;
    }
    try {
      ctx.audit.append(event);
    } catch (err) {
      ctx.log.error('monitor.audit-failed', { type: event.type, error: err instanceof Error ? err.name : 'unknown' });
    }
  };
  const gate = new MonitorGate({ identity, audit, now: () => ctx.now().getTime() });

  return {
    signMonitorRequest: ({ deskId, callRef, mode }) => {
      const signed = signMonitorRequest(identity, { deskId, callRef, mode }, ctx.now().getTime(), randomBytes(16).toString('base64url'));
      if (signed.ok) return { token: signed.token, target: signed.target };
      const why: Record<typeof signed.reason, string> = {
        'no-roster': 'This desk has no team roster, or is not in it.',
        'not-signed-in': 'Nobody is signed in at this desk.',
        'unknown-desk': 'That desk is not in the team roster.',
        'role-not-allowed': 'The roster does not let your role use this monitor mode.',
      };
      throw new ApiError('not-allowed', why[signed.reason], [signed.reason]);
    },

    checkMonitorRequest: ({ token, from, liveCallRefs, sessionId }) => {
      const request = { token, from, liveCallRefs };
      const verdict = sessionId === undefined ? gate.start(request) : gate.change(sessionId, request);
      if (!verdict.ok) ctx.log.info('monitor.refused', { reason: verdict.reason });
      return verdict;
    },

    endMonitorSession: ({ sessionId, cause }) => ({ ended: gate.stop(sessionId, cause) }),
  };
}

/**
 * Listen / whisper / barge over the process boundary (issue 9 §6). The renderer's SIP line carries
 * the requests; the main process holds the keys and the roster, signs (supervisor desk) and checks
 * (operator desk). A refusal names a closed reason only: the renderer answers it 403.
 */
import { z } from 'zod';
import { CallRef, MAX_TOKEN_CHARS } from '../floor/wire.js';
import { MonitorMode, RosterId } from '../roster/schema.js';

export const MonitorRefusalCode = z.enum([
  'no-roster',
  'no-token',
  'malformed',
  'wrong-kind',
  'unknown-person',
  'bad-signature',
  'unknown-desk',
  'forged-from',
  'wrong-desk',
  'stale',
  'replayed',
  'role-not-allowed',
  'no-such-call',
  'session-mismatch',
  'flood',
]);
export type MonitorRefusalCode = z.infer<typeof MonitorRefusalCode>;

/** What the operator desk's line saw: the token (header or INFO body), the From URI, its live calls. */
export const MonitorCheckArgs = z.object({
  token: z.string().max(MAX_TOKEN_CHARS + 16).nullable(),
  from: z.string().max(512),
  /** The refs of the calls live on this desk (a desk holds at most 8). */
  liveCallRefs: z.array(CallRef).max(16),
  /** Set for a mode change (INFO) in a running session. */
  sessionId: z.string().uuid().optional(),
});
export type MonitorCheckArgs = z.infer<typeof MonitorCheckArgs>;

export const MonitorVerdict = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), sessionId: z.string().uuid(), mode: MonitorMode, callRef: CallRef, tellOperator: z.boolean() }),
  z.object({ ok: z.literal(false), reason: MonitorRefusalCode }),
]);
export type MonitorVerdict = z.infer<typeof MonitorVerdict>;

export const SignMonitorArgs = z.object({ deskId: RosterId, callRef: CallRef, mode: MonitorMode });
export type SignMonitorArgs = z.infer<typeof SignMonitorArgs>;

/** The signed token and the operator desk's SIP URI to send the INVITE (or INFO) to. */
export const SignedMonitorRequest = z.object({ token: z.string(), target: z.string() });
export type SignedMonitorRequest = z.infer<typeof SignedMonitorRequest>;

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

export const monitorContract = {
  /** Supervisor desk: a monitor request signed with the signed-in person's key. */
  signMonitorRequest: method(SignMonitorArgs, SignedMonitorRequest),
  /** Operator desk: checks a monitor INVITE (or, with sessionId, a mode change INFO); audits the verdict. */
  checkMonitorRequest: method(MonitorCheckArgs, MonitorVerdict),
  /** Operator desk: the session ended (its call ended, or the supervisor hung up); audited once. */
  endMonitorSession: method(z.object({ sessionId: z.string().uuid(), cause: z.enum(['call-ended', 'supervisor-left']) }), z.object({ ended: z.boolean() })),
} as const;

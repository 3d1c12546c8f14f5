/**
 * The page's SIP stack logs into the desk log (issue 11 §2): its lines are redacted in the page
 * (renderer/src/line/redacting-logger.ts) and again in the main process, by the same redactor
 * (shared/log/redact.ts), and rate-limited there. The page asks which level to log at: the desk
 * log's most verbose level (debug) turns sip.js's debug on; otherwise warnings and errors only.
 */
import { z } from 'zod';

const NoArgs = z.undefined();

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

/** sip.js's levels. */
export const LineLogLevel = z.enum(['error', 'warn', 'log', 'debug']);
export type LineLogLevel = z.infer<typeof LineLogLevel>;

export const LineLogEntry = z.object({
  level: LineLogLevel,
  category: z.string().min(1).max(40),
  message: z.string().max(400),
});
export type LineLogEntry = z.infer<typeof LineLogEntry>;

export const logContract = {
  /** The level the page's SIP stack logs at ('debug' when the desk log is at debug, else 'warn'). */
  lineLogLevel: method(NoArgs, LineLogLevel),
  /** One line of the page's SIP stack into the desk log; `written` is false when rate-limited. */
  writeLineLog: method(LineLogEntry, z.object({ written: z.boolean() })),
} as const;

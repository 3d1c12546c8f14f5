/**
 * The one way sip.js may log. Its defaults leak personal data: `traceSip` writes whole SIP messages
 * (caller numbers and names, SDP) and `logConfiguration` writes the configuration (the account).
 * Both are turned off, and every line sip.js does log passes through {@link redactLogMessage}, which
 * keeps the level, a known category and the gist of the message — never a body, number, name or URI.
 */
import type { LogConnector, LogLevel } from 'sip.js';
import { redactLogText } from '../../../shared/log/redact.js';

/** One redacted log line, safe to keep. */
export interface LineLogEntry {
  level: LogLevel;
  /** sip.js's category (e.g. `sip.Registerer`) or `line` for the line's own events. */
  category: string;
  message: string;
}

/** Where redacted log lines go (the platform forwards them to the main process's log). */
export type LineLogSink = (entry: LineLogEntry) => void;

/** The longest message kept; sip.js's useful messages are short sentences. */
const MAX_MESSAGE = 160;
const CATEGORY = /^[A-Za-z][A-Za-z0-9._-]{0,39}$/;

/**
 * The UserAgent options that keep sip.js quiet: no built-in console logging, no configuration dump,
 * warnings and errors only, everything through the redactor. (`traceSip: false` belongs in the
 * transport options, see line.ts.)
 */
export function quietLogOptions(sink: LineLogSink): {
  logBuiltinEnabled: false;
  logConfiguration: false;
  logLevel: LogLevel;
  logConnector: LogConnector;
} {
  return { logBuiltinEnabled: false, logConfiguration: false, logLevel: lineLogLevel, logConnector: redactingLogConnector(sink, lineLogLevel) };
}

/** The level lines created from now on log at: warn, unless the desk log is at debug (setLineLogLevel). */
let lineLogLevel: LogLevel = 'warn';

/** Sets the level for user agents created from now on (the desk's: api.lineLogLevel). */
export function setLineLogLevel(level: LogLevel): void {
  lineLogLevel = level;
}

/** At most this many lines on their way to the main process at once; more are dropped. */
export const MAX_LOG_IN_FLIGHT = 16;

/**
 * A sink that hands each (already redacted) line to the main process's log (api.writeLineLog),
 * which redacts it again and rate-limits. Never throws, never waits; drops lines while
 * {@link MAX_LOG_IN_FLIGHT} are unanswered, so a burst of sip.js debug cannot queue without end.
 */
export function forwardingLineLogSink(write: (entry: LineLogEntry) => Promise<unknown>): LineLogSink {
  let inFlight = 0;
  return (entry) => {
    if (inFlight >= MAX_LOG_IN_FLIGHT) return;
    inFlight += 1;
    let sent: Promise<unknown>;
    try {
      sent = write(entry);
    } catch {
      inFlight -= 1;
      return;
    }
    sent.then(
      () => (inFlight -= 1),
      () => (inFlight -= 1),
    );
  };
}

const LEVELS: Record<LogLevel, number> = { error: 0, warn: 1, log: 2, debug: 3 };

/**
 * A sip.js `logConnector` that forwards only level, category and a redacted message, for lines at
 * `minLevel` or more severe (sip.js hands the connector every level, whatever its `logLevel`).
 */
export function redactingLogConnector(sink: LineLogSink, minLevel: LogLevel = 'warn'): LogConnector {
  return (level, category, _label, content) => {
    if ((LEVELS[level] ?? 3) > LEVELS[minLevel]) return;
    // The label is an id sip.js derives from Call-IDs and tags: dropped, like the rest of the detail.
    try {
      sink({ level, category: CATEGORY.test(category) ? category : 'sip', message: redactLogMessage(content) });
    } catch {
      // A failing sink must never break call handling.
    }
  };
}

/**
 * The gist of a log message with anything personal removed: the one redactor every log line of the
 * desk passes through (shared/log/redact.ts), capped at {@link MAX_MESSAGE}.
 */
export function redactLogMessage(content: unknown): string {
  return redactLogText(content, MAX_MESSAGE);
}

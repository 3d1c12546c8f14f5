/**
 * The one way sip.js may log. Its defaults leak personal data: `traceSip` writes whole SIP messages
 * (caller numbers and names, SDP) and `logConfiguration` writes the configuration (the account).
 * Both are turned off, and every line sip.js does log passes through {@link redactLogMessage}, which
 * keeps the level, a known category and the gist of the message — never a body, number, name or URI.
 */
import type { LogConnector, LogLevel } from 'sip.js';

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
  return { logBuiltinEnabled: false, logConfiguration: false, logLevel: 'warn', logConnector: redactingLogConnector(sink) };
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
 * The gist of a log message with anything personal removed: only the first line (a SIP message or
 * body never starts on it), quoted text, URIs and addresses, digit runs of four or more (numbers;
 * three-digit status codes stay), long tokens with digits (Call-IDs, tags, branches) and any
 * non-ASCII text (names).
 */
export function redactLogMessage(content: unknown): string {
  const text = typeof content === 'string' ? content : content instanceof Error ? content.message : String(content);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const redacted = firstLine
    .slice(0, MAX_MESSAGE * 4)
    .replace(/"[^"]*"?|'[^']*'?|`[^`]*`?/g, '<text>')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<uri>')
    .replace(/\b(?:sips?|tel):\S+/gi, '<uri>')
    .replace(/<[^<>]*[@:][^<>]*>/g, '<uri>')
    .replace(/\S+@\S+/g, '<addr>')
    .replace(/[^\x20-\x7e]+/g, '?')
    .replace(/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{8,}\b/g, '<id>')
    .replace(/\+?\d[\d\s().-]{2,}\d/g, (run) => (run.replace(/\D/g, '').length >= 4 ? '#' : run))
    .trim();
  return redacted.length > MAX_MESSAGE ? `${redacted.slice(0, MAX_MESSAGE)}…` : redacted;
}

/**
 * The one logger every main-process service writes through. Every line, at every level, passes
 * through the one redactor (shared/log/redact.ts) before it is written: the event name and each
 * field — phone numbers, names, SIP headers and bodies, tokens, URLs with credentials never reach a
 * log. Lines below the logger's level are dropped before they are even built.
 *
 * Levels, most verbose first: debug, info, warn, error. The default is info; KOTOZUTE_LOG_LEVEL
 * (debug|info|warn|error) changes it (`logLevelFromEnv`). Where lines go is the sink's business:
 * stderr, and in the app and dev-web a size-capped rotating file (log-file.ts).
 */
import { redactLogFields, redactLogText, type LogValue } from '../../../shared/log/redact.js';

export type LogFields = Record<string, LogValue>;

export interface Logger {
  /** The level lines are written from (createLogger sets it; a logger without one writes what it likes). */
  readonly level?: LogLevel;
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The level KOTOZUTE_LOG_LEVEL names, or info (an unknown value is ignored). */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const wanted = env.KOTOZUTE_LOG_LEVEL?.toLowerCase();
  return wanted === 'debug' || wanted === 'info' || wanted === 'warn' || wanted === 'error' ? wanted : 'info';
}

/** Redacts one value (the one redactor: shared/log/redact.ts). */
export function redact(value: string): string {
  return redactLogText(value);
}

/** Redacts a line's fields (the one redactor: shared/log/redact.ts). */
export function redactFields(fields: LogFields = {}): LogFields {
  return redactLogFields(fields);
}

export type LogSink = (line: string) => void;

/** Writes each line to every sink; one failing sink never stops the others nor the caller. */
export function teeSinks(...sinks: LogSink[]): LogSink {
  return (line) => {
    for (const sink of sinks) {
      try {
        sink(line);
      } catch {
        // a log must never break the work it describes
      }
    }
  };
}

export const stderrSink: LogSink = (l) => process.stderr.write(`${l}\n`);

/** A JSON-lines logger at `level` (info by default); the sink decides where lines go. */
export function createLogger(sink: LogSink = stderrSink, level: LogLevel = 'info'): Logger {
  const write = (at: LogLevel, event: string, fields?: LogFields) => {
    if (RANK[at] < RANK[level]) return;
    let line: string;
    try {
      line = JSON.stringify({ t: new Date().toISOString(), level: at, event: redactLogText(event, 80), ...redactLogFields(fields) });
    } catch {
      return;
    }
    try {
      sink(line);
    } catch {
      // a log must never break the work it describes
    }
  };
  return {
    level,
    debug: (e, f) => write('debug', e, f),
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}

/** For tests and tools that want silence. */
export const nullLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

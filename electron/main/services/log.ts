/**
 * The one logger every main-process service writes through. Fields are redacted before they are
 * written: phone numbers, e-mail addresses and anything under a sensitive key never reach a log.
 */

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const SENSITIVE_KEYS = /name|number|phone|caller|text|body|note|password|secret|token|email|did|uri/i;
const PHONE = /\+?\d[\d\s\-()]{5,}\d/g;
const EMAIL = /[^\s@]+@[^\s@]+/g;

/** Redacts one value: numbers and addresses become placeholders; long text is cut. */
export function redact(value: string): string {
  return value.replace(EMAIL, '<email>').replace(PHONE, '<number>').slice(0, 200);
}

export function redactFields(fields: LogFields = {}): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') out[k] = SENSITIVE_KEYS.test(k) ? '<redacted>' : redact(v);
    else out[k] = v;
  }
  return out;
}

export type LogSink = (line: string) => void;

/** A JSON-lines logger; the sink decides where lines go (stderr, a file). */
export function createLogger(sink: LogSink = (l) => process.stderr.write(`${l}\n`)): Logger {
  const write = (level: string, event: string, fields?: LogFields) =>
    sink(JSON.stringify({ t: new Date().toISOString(), level, event: redact(event), ...redactFields(fields) }));
  return {
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}

/** For tests and tools that want silence. */
export const nullLogger: Logger = { info() {}, warn() {}, error() {} };

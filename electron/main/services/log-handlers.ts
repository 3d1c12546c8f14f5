/**
 * The page's SIP stack into the desk log (shared/ipc/log-contract.ts). The page redacted each line
 * already; it is redacted again here (the logger does, as for every line), because the page is not
 * trusted to. At most LINE_LOG_BURST lines per LINE_LOG_WINDOW_MS are written; the rest are counted
 * and the count is logged once the window has passed, so a chatty or hostile page cannot fill the
 * log (which is size-capped anyway: log-file.ts).
 */
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import type { LineLogEntry, LineLogLevel } from '../../../shared/ipc/log-contract.js';
import type { Logger } from './log.js';

/** The handlers, synchronous (assignable to the contract's ApiHandlers). */
export interface LogHandlers extends Pick<ApiHandlers, 'lineLogLevel' | 'writeLineLog'> {
  lineLogLevel(arg: undefined): LineLogLevel;
  writeLineLog(entry: LineLogEntry): { written: boolean };
}

export const LINE_LOG_BURST = 200;
export const LINE_LOG_WINDOW_MS = 10_000;

const CATEGORY = /^[A-Za-z][A-Za-z0-9._-]{0,39}$/;

export function createLogHandlers(log: Logger, now: () => number = Date.now): LogHandlers {
  let windowStart = now();
  let written = 0;
  let dropped = 0;
  const write: Record<LineLogLevel, (event: string, fields: Record<string, string>) => void> = {
    error: (e, f) => log.error(e, f),
    warn: (e, f) => log.warn(e, f),
    log: (e, f) => log.info(e, f),
    debug: (e, f) => log.debug(e, f),
  };
  return {
    lineLogLevel: () => (log.level === 'debug' ? 'debug' : 'warn'),
    writeLineLog: ({ level, category, message }) => {
      const t = now();
      if (t - windowStart >= LINE_LOG_WINDOW_MS) {
        if (dropped > 0) log.warn('line.log-dropped', { count: dropped });
        windowStart = t;
        written = 0;
        dropped = 0;
      }
      if (written >= LINE_LOG_BURST) {
        dropped += 1;
        return { written: false };
      }
      written += 1;
      write[level]('line.log', { category: CATEGORY.test(category) ? category : 'sip', message });
      return { written: true };
    },
  };
}

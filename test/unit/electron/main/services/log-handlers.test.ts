import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../../electron/main/services/log.js';
import { createLogHandlers, LINE_LOG_BURST, LINE_LOG_WINDOW_MS } from '../../../../../electron/main/services/log-handlers.js';

describe("the page's SIP log into the desk log", () => {
  it('asks the page for debug only when the desk log is at debug', () => {
    expect(createLogHandlers(createLogger(() => undefined, 'debug')).lineLogLevel(undefined)).toBe('debug');
    expect(createLogHandlers(createLogger(() => undefined)).lineLogLevel(undefined)).toBe('warn');
  });

  it('redacts the line again (the page is not trusted to), at the mapped level', () => {
    const lines: string[] = [];
    const h = createLogHandlers(createLogger((l) => lines.push(l), 'debug'));
    h.writeLineLog({ level: 'debug', category: 'sip.Transport', message: 'Received INVITE sip:09012345678@pbx from "Zqcanary" token=abc123def' });
    h.writeLineLog({ level: 'log', category: '<sip:x@y>', message: 'ok' });
    expect(lines.join('\n')).not.toMatch(/09012345678|Zqcanary|abc123def|pbx/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'debug', event: 'line.log', category: 'sip.Transport' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'info', category: 'sip' });
  });

  it(`writes at most ${LINE_LOG_BURST} lines per window, then counts what it dropped`, () => {
    const lines: string[] = [];
    let t = 0;
    const h = createLogHandlers(createLogger((l) => lines.push(l), 'debug'), () => t);
    const results = Array.from({ length: LINE_LOG_BURST + 50 }, () => h.writeLineLog({ level: 'warn', category: 'sip', message: 'x' }).written);
    expect(results.filter(Boolean)).toHaveLength(LINE_LOG_BURST);
    expect(lines).toHaveLength(LINE_LOG_BURST);
    t += LINE_LOG_WINDOW_MS;
    expect(h.writeLineLog({ level: 'warn', category: 'sip', message: 'y' }).written).toBe(true);
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ event: 'line.log-dropped', count: 50 });
  });
});

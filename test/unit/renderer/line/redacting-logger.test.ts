import { describe, expect, it } from 'vitest';
import { forwardingLineLogSink, MAX_LOG_IN_FLIGHT, quietLogOptions, redactingLogConnector, redactLogMessage, setLineLogLevel, type LineLogEntry } from '../../../../renderer/src/line/redacting-logger.js';

describe('the sip.js log redactor', () => {
  it('keeps the gist of a message and drops URIs, numbers, names and ids', () => {
    const cases: [string, RegExp[]][] = [
      ['Connecting wss://pbx.example.jp:8089/ws', [/pbx/, /8089/]],
      ['Invalid WebSocket Server URL "ws://secret-host:5060"', [/secret/]],
      ['INVITE sip:0312345678@pbx.example.jp SIP/2.0', [/0312345678/, /pbx/]],
      ['Dialog 3848276298220188511@127.0.0.1a8f3k2 constructed', [/3848276298220188511/, /127\.0/]],
      ['Caller 山田太郎 from 090-1234-5678', [/山田/, /1234/]],
      ['Received <sip:alice@example.com>;tag=abc', [/alice/]],
      ['Session abcdef1234567890 transitioned', [/abcdef1234567890/]],
    ];
    for (const [input, leaks] of cases) {
      const out = redactLogMessage(input);
      for (const leak of leaks) expect(out, input).not.toMatch(leak);
    }
    expect(redactLogMessage('Failed to register, status code 403')).toBe('Failed to register, status code 403');
  });

  it('drops everything after the first line, so no SIP message or body survives', () => {
    const message = 'Received WebSocket text message:\n\nINVITE sip:0312345678@pbx SIP/2.0\r\nFrom: "Yamada" <sip:0901234567@pbx>\r\n\r\nv=0';
    expect(redactLogMessage(message)).toBe('Received WebSocket text message:');
  });

  it('caps the length', () => {
    expect(redactLogMessage('word '.repeat(500)).length).toBeLessThanOrEqual(161);
  });

  it('forwards level and a known category only, at warn and above by default, and never throws', () => {
    const entries: LineLogEntry[] = [];
    const connector = redactingLogConnector((e) => entries.push(e));
    connector('warn', 'sip.Registerer', 'call-id-0312345678', 'Failed to register, status code 500');
    connector('debug', 'sip.transaction', undefined, 'noise');
    connector('error', 'weird category <sip:x@y>', undefined, 'oops');
    expect(entries).toEqual([
      { level: 'warn', category: 'sip.Registerer', message: 'Failed to register, status code 500' },
      { level: 'error', category: 'sip', message: 'oops' },
    ]);
    const throwing = redactingLogConnector(() => {
      throw new Error('sink down');
    });
    expect(() => throwing('error', 'sip', undefined, 'x')).not.toThrow();
  });

  it('turns sip.js built-in logging and configuration dumps off', () => {
    expect(quietLogOptions(() => undefined)).toMatchObject({ logBuiltinEnabled: false, logConfiguration: false, logLevel: 'warn' });
  });
});

describe("the page's SIP log, forwarded to the desk log", () => {
  it('follows the desk level: debug turns sip.js debug on for user agents made afterwards', () => {
    const entries: LineLogEntry[] = [];
    setLineLogLevel('debug');
    try {
      const options = quietLogOptions((e) => entries.push(e));
      expect(options.logLevel).toBe('debug');
      options.logConnector('debug', 'sip.Transport', undefined, 'Received WebSocket text message:\nINVITE sip:0312345678@pbx SIP/2.0');
      expect(entries).toEqual([{ level: 'debug', category: 'sip.Transport', message: 'Received WebSocket text message:' }]);
    } finally {
      setLineLogLevel('warn');
    }
    expect(quietLogOptions(() => undefined).logLevel).toBe('warn');
  });

  it('never has more than MAX_LOG_IN_FLIGHT lines unanswered, and never throws', async () => {
    const pending: Array<() => void> = [];
    const sink = forwardingLineLogSink(() => new Promise<void>((resolve) => pending.push(resolve)));
    for (let i = 0; i < 40; i++) sink({ level: 'debug', category: 'sip', message: `m${i}` });
    expect(pending).toHaveLength(MAX_LOG_IN_FLIGHT);
    pending.shift()!();
    await Promise.resolve();
    await Promise.resolve();
    sink({ level: 'debug', category: 'sip', message: 'again' });
    expect(pending).toHaveLength(MAX_LOG_IN_FLIGHT);
    const throwing = forwardingLineLogSink(() => {
      throw new Error('no api');
    });
    expect(() => throwing({ level: 'warn', category: 'sip', message: 'x' })).not.toThrow();
  });
});

import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, logLevelFromEnv, teeSinks, type Logger } from '../../../../../electron/main/services/log.js';
import { LOG_FILE_NAME, openRotatingLog } from '../../../../../electron/main/services/log-file.js';

const CANARIES = ['Zqlogcanary', '鏑木', '09012345678', '090-1234-5678', 'hunter2', 's3cretTok3n'];

function driveEveryLevel(log: Logger): void {
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    log[level](`call.from "Zqlogcanary" 090-1234-5678`, {
      callerName: '鏑木 Zqlogcanary',
      did: '09012345678',
      detail: 'POST https://u:hunter2@hooks.example.com failed: token=s3cretTok3n',
      sip: 'INVITE sip:09012345678@pbx SIP/2.0\r\nFrom: "Zqlogcanary" <sip:x@y>',
      count: 2,
    });
  }
}

describe('the main-process logger', () => {
  it('redacts every line at every level, event name included', () => {
    const lines: string[] = [];
    driveEveryLevel(createLogger((l) => lines.push(l), 'debug'));
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['debug', 'info', 'warn', 'error']);
    const all = lines.join('\n');
    for (const canary of CANARIES) expect(all).not.toContain(canary);
    expect(all).toContain('"count":2');
  });

  it('drops lines below its level (info by default) before building them', () => {
    const lines: string[] = [];
    driveEveryLevel(createLogger((l) => lines.push(l)));
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['info', 'warn', 'error']);
    const errorsOnly: string[] = [];
    driveEveryLevel(createLogger((l) => errorsOnly.push(l), 'error'));
    expect(errorsOnly).toHaveLength(1);
  });

  it('takes its level from KOTOZUTE_LOG_LEVEL, ignoring unknown values', () => {
    expect(logLevelFromEnv({ KOTOZUTE_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevelFromEnv({ KOTOZUTE_LOG_LEVEL: 'trace' })).toBe('info');
    expect(logLevelFromEnv({})).toBe('info');
  });

  it('never throws into the caller when a sink fails, and a tee keeps writing to the others', () => {
    const lines: string[] = [];
    const log = createLogger(
      teeSinks(
        () => {
          throw new Error('disk full');
        },
        (l) => lines.push(l),
      ),
    );
    expect(() => log.error('x')).not.toThrow();
    expect(lines).toHaveLength(1);
  });
});

describe('the rotating log file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kotozute-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rotates at the size cap, keeps the newest files only, and never holds more than maxBytes × (keep + 1)', async () => {
    const logDir = path.join(dir, 'logs');
    const file = openRotatingLog({ dir: logDir, maxBytes: 4096, keep: 2 });
    const log = createLogger(file.sink, 'debug');
    for (let i = 0; i < 2_000; i++) log.info('outbox.retry', { attempt: i % 100, detail: 'x'.repeat(100) });
    const names = (await readdir(logDir)).sort();
    expect(names).toEqual([LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
    let total = 0;
    for (const n of names) {
      const s = await stat(path.join(logDir, n));
      expect(s.size).toBeLessThanOrEqual(4096);
      expect(s.mode & 0o077).toBe(0);
      total += s.size;
    }
    expect(total).toBeLessThanOrEqual(4096 * 3);
    expect((await stat(logDir)).mode & 0o077).toBe(0);
    // The newest line is in the current file; every line is whole JSON.
    const current = (await readFile(file.path, 'utf8')).trim().split('\n');
    expect(current.at(-1)).toContain('"attempt":99');
    for (const line of current) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(file.dropped()).toBe(0);
  });

  it('cuts an over-long line, and counts a failed write instead of throwing', async () => {
    const file = openRotatingLog({ dir: path.join(dir, 'logs'), maxBytes: 64 * 1024 });
    file.sink('y'.repeat(100_000));
    expect((await stat(file.path)).size).toBeLessThanOrEqual(8 * 1024);
    await rm(path.join(dir, 'logs'), { recursive: true });
    await import('node:fs/promises').then((fs) => fs.writeFile(path.join(dir, 'logs'), 'not a folder'));
    expect(() => file.sink('{"a":1}')).not.toThrow();
    expect(file.dropped()).toBe(1);
  });

  it('refuses a cap or a count out of bounds', () => {
    expect(() => openRotatingLog({ dir, maxBytes: 10 })).toThrow(RangeError);
    expect(() => openRotatingLog({ dir, keep: 100 })).toThrow(RangeError);
  });
});

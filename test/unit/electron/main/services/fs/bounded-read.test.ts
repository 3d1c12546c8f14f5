import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FileRefused,
  readBounded,
  readBoundedSync,
  readBoundedText,
} from '../../../../../../electron/main/services/fs/bounded-read.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-bounded-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const at = (name: string) => path.join(dir, name);

function fifo(name: string): string {
  execFileSync('mkfifo', [at(name)]);
  return at(name);
}

async function refusal(p: Promise<unknown>): Promise<FileRefused> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(FileRefused);
    return err as FileRefused;
  }
  throw new Error('expected a refusal');
}

describe('the bounded reader', () => {
  it('reads a regular file up to its cap exactly, sync and async', async () => {
    fs.writeFileSync(at('key.pem'), 'k'.repeat(100));
    expect((await readBounded(at('key.pem'), { kind: 'key', limit: 100 })).length).toBe(100);
    expect(readBoundedSync(at('key.pem'), { kind: 'key', limit: 100 }).length).toBe(100);
    expect(await readBoundedText(at('key.pem'), { kind: 'key' })).toBe('k'.repeat(100));
  });

  it('refuses a file one byte over its cap without reading it, in one line naming the path', async () => {
    fs.writeFileSync(at('key.pem'), 'k'.repeat(101));
    const e = await refusal(readBounded(at('key.pem'), { kind: 'key', limit: 100 }));
    expect(e.reason).toBe('too-large');
    expect(e.message).toBe(`refused ${at('key.pem')}: it is 101 bytes; a key file may be at most 100 bytes (stopped reading there).`);
    expect(() => readBoundedSync(at('key.pem'), { kind: 'key', limit: 100 })).toThrow(/a key file may be at most 100 bytes/);
  });

  it('caps a key at 16 KB', async () => {
    fs.writeFileSync(at('big.pem'), Buffer.alloc(16 * 1024 + 1, 0x41));
    expect((await refusal(readBounded(at('big.pem'), { kind: 'key' }))).message).toMatch(/16\.0 KB/);
    fs.writeFileSync(at('ok.pem'), Buffer.alloc(16 * 1024, 0x41));
    expect((await readBounded(at('ok.pem'), { kind: 'key' })).length).toBe(16 * 1024);
  });

  it('refuses a FIFO with no writer at once instead of waiting for one', async () => {
    const p = fifo('pipe');
    const e = await refusal(readBounded(p, { kind: 'audit' }));
    expect(e.reason).toBe('not-regular');
    expect(e.message).toBe(`refused ${p}: it is a FIFO (named pipe), not a regular audit file.`);
    expect(() => readBoundedSync(p, { kind: 'audit' })).toThrow(/a FIFO/);
  });

  it('refuses a directory, a character device and a socket, saying which', async () => {
    fs.mkdirSync(at('folder'));
    expect((await refusal(readBounded(at('folder'), { kind: 'bundle' }))).message).toMatch(/it is a directory, not a regular bundle file/);
    expect((await refusal(readBounded('/dev/zero', { kind: 'key' }))).message).toMatch(/^refused \/dev\/zero: it is a character device/);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(at('sock'), resolve));
    try {
      expect((await refusal(readBounded(at('sock'), { kind: 'key' }))).message).toMatch(/it is a socket, not a regular key file/);
    } finally {
      server.close();
    }
  });

  it('follows a symlink to a regular file, and refuses one to a FIFO or a device, naming the link', async () => {
    fs.writeFileSync(at('real.pem'), 'key');
    fs.symlinkSync(at('real.pem'), at('link.pem'));
    expect(await readBoundedText(at('link.pem'), { kind: 'key' })).toBe('key');
    fs.symlinkSync(fifo('pipe'), at('to-pipe'));
    fs.symlinkSync('/dev/urandom', at('to-random'));
    expect((await refusal(readBounded(at('to-pipe'), { kind: 'key' }))).message).toMatch(/it is a symlink to a FIFO/);
    expect((await refusal(readBounded(at('to-random'), { kind: 'key' }))).message).toMatch(/it is a symlink to a character device/);
  });

  it('says a missing file is missing (not-found), separately from a refusal', async () => {
    const e = await refusal(readBounded(at('absent'), { kind: 'key' }));
    expect(e.reason).toBe('missing');
    expect(e.code).toBe('not-found');
    expect(e.message).toMatch(/ENOENT/);
  });

  it('stops one byte past the size fstat gave, whatever the file holds (a file whose stat lies)', async () => {
    // /proc files are regular files that stat as 0 bytes and yet hold text: the reader takes one
    // byte, sees more than the size said, and refuses, as it does for a file that grows while read.
    const e = await refusal(readBounded('/proc/self/status', { kind: 'audit' }));
    expect(e.reason).toBe('changed');
    expect(e.message).toBe('refused /proc/self/status: the audit file changed while it was being read; read it again once nothing writes to it.');
    expect(() => readBoundedSync('/proc/self/status', { kind: 'audit' })).toThrow(/changed while it was being read/);
  });

  it('refuses a file that has reached its cap and goes on past it as over the cap, not as changed', async () => {
    // 0 bytes allowed and 0 bytes by stat: the one spare byte is over the cap itself.
    const e = await refusal(readBounded('/proc/self/status', { kind: 'key', limit: 0 }));
    expect(e.reason).toBe('too-large');
    expect(e.message).toMatch(/it holds more than 0 bytes; a key file may be at most 0 bytes/);
  });
});

/**
 * Every path the admin tool reads, handed something that is not a regular file (a device that never
 * ends, a FIFO with no writer, a directory, a symlink to each) or a file that grows while it is read:
 * the real bin, as a child process, answers in one line and a non-zero exit, within 2 s of work
 * beyond its own start-up, with at most 100 MB more memory than `--help` takes, and writes nothing.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../../electron/main/services/audit/audit-log.js';
import { generateDirectory } from '../../support/generate-directory.js';

const BIN = resolve(import.meta.dirname, '../../../bin/kotozute-admin.mjs');
const PEAK_RSS = resolve(import.meta.dirname, '../../support/report-peak-rss.mjs');
const MB = 1024 * 1024;

interface Outcome {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  ms: number;
  peakRss: number;
}

let dir: string;
const at = (name: string) => join(dir, name);
let runs = 0;

function admin(args: readonly string[], timeoutMs: number): Promise<Outcome> {
  const rssFile = at(`rss-${++runs}`);
  const started = performance.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', PEAK_RSS, BIN, ...args],
      { timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, KOTOZUTE_TEST_PEAK_RSS_FILE: rssFile }, maxBuffer: 1 * MB },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number; killed?: boolean }) | null;
        let peakRss = Number.NaN;
        try {
          peakRss = Number(readFileSync(rssFile, 'utf8'));
          rmSync(rssFile);
        } catch {
          // killed before it could say
        }
        done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, killed: e?.killed === true, stdout, stderr, ms: performance.now() - started, peakRss });
      },
    );
  });
}

/** What the start-up alone costs here: the budget below is 2 s of work on top of it. */
let startupMs = 0;
let baselineRss = 0;

/** Every command line that reads a path, with the path swapped for `target`. */
const COMMANDS: Record<string, (target: string) => string[]> = {
  'sign --key': (t) => ['sign', '--key', t, '--in', at('directory.json'), '--out', at('out/d.bundle')],
  'sign --in': (t) => ['sign', '--key', at('keys/admin.key'), '--in', t, '--out', at('out/d.bundle')],
  'verify --pub': (t) => ['verify', '--pub', t, at('d.bundle')],
  'verify BUNDLE': (t) => ['verify', '--pub', at('keys/admin.pub'), t],
  'audit verify FILE': (t) => ['audit', 'verify', t],
};

/** The hostile targets, each as itself and through a symlink. */
function targets(): string[] {
  const plain = ['/dev/zero', '/dev/urandom', at('fifo'), at('folder')];
  return [...plain, ...plain.map((p, i) => at(`link-${i}`))];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kotozute-hostile-'));
  writeFileSync(at('directory.json'), JSON.stringify(generateDirectory({ clients: 3 })));
  mkdirSync(at('out'));
  execFileSync('mkfifo', [at('fifo')]);
  mkdirSync(at('folder'));
  ['/dev/zero', '/dev/urandom', at('fifo'), at('folder')].forEach((p, i) => symlinkSync(p, at(`link-${i}`)));
  const audit = openAuditLog({ dir: at('audit') });
  audit.append({ type: 'created', noteId: '3f2b8c1e-9a4d-4c6b-8e2f-1a2b3c4d5e6f' });
  audit.close();
  expect((await admin(['keygen', '--out', at('keys')], 60_000)).code).toBe(0);
  expect((await admin(['sign', '--key', at('keys/admin.key'), '--in', at('directory.json'), '--out', at('d.bundle')], 60_000)).code).toBe(0);
  const help = await admin(['--help'], 60_000);
  expect(help.code).toBe(0);
  startupMs = Math.ceil(help.ms);
  baselineRss = help.peakRss;
  expect(baselineRss).toBeGreaterThan(0);
}, 240_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kotozute-admin on files that are not regular files', () => {
  for (const [name, args] of Object.entries(COMMANDS)) {
    it(`${name}: refuses a device, a FIFO, a directory and a symlink to each, in one line, exit 2, writing nothing`, async () => {
      for (const target of targets()) {
        const r = await admin(args(target), 2_000 + startupMs);
        const context = `${name} ${target}: ${r.stderr}`;
        expect(r.killed, context).toBe(false);
        expect(r.code, context).toBe(2);
        expect(r.stdout, context).toBe('');
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        expect(lines, context).toHaveLength(1);
        expect(lines[0], context).toMatch(/^kotozute-admin( audit verify)?: refused .+: it is (a symlink to )?(a character device|a FIFO \(named pipe\)|a directory), not a regular /);
        expect(lines[0], context).toContain(target);
        expect(r.peakRss - baselineRss, context).toBeLessThanOrEqual(100 * MB);
        expect(readdirSync(at('out')), context).toEqual([]);
      }
    }, 120_000);
  }
});

describe('kotozute-admin on a file that grows while it is read', () => {
  let writer: ChildProcess | undefined;
  afterAll(() => writer?.kill('SIGKILL'));

  /** Another process appending 4 KB a millisecond to `file` (for 10 s at most), begun afresh. */
  function grow(file: string): ChildProcess {
    writeFileSync(file, '{"format":"kotozute-directory",');
    const script =
      `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(file)},'a');const b=Buffer.alloc(4096,32);` +
      'const end=Date.now()+10000;const t=setInterval(()=>{fs.writeSync(fd,b);if(Date.now()>end)clearInterval(t)},1);';
    return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  }

  it('every reading command exits non-zero, within bounds, writing nothing', async () => {
    for (const [name, args] of Object.entries(COMMANDS)) {
      const growing = at(`growing-${name.replace(/\W+/g, '-')}`);
      writer = grow(growing);
      const r = await admin(args(growing), 2_000 + startupMs);
      writer.kill('SIGKILL');
      const context = `${name}: ${r.stderr}`;
      expect(r.killed, context).toBe(false);
      expect(r.code, context).not.toBe(0);
      expect(r.stdout, context).toBe('');
      expect(r.stderr.split('\n')[0], context).toMatch(/^(kotozute-admin|BROKEN)/);
      expect(r.peakRss - baselineRss, context).toBeLessThanOrEqual(100 * MB);
      expect(readdirSync(at('out')), context).toEqual([]);
    }
  }, 120_000);
});

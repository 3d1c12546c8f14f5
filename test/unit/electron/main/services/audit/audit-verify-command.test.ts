import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAuditVerify } from '../../../../../../electron/admin/audit-command.js';
import { formatHead, openAuditLog } from '../../../../../../electron/main/services/audit/audit-log.js';

const NOTE = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
let dir: string;
let out: string[];
let err: string[];
const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-audit-cli-'));
  out = [];
  err = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeTrail(): string {
  const log = openAuditLog({ dir });
  log.append({ type: 'created', noteId: NOTE, clientId: 'sato-law' });
  log.append({ type: 'wiped', noteId: NOTE, clientId: 'sato-law', reason: 'discarded', count: 2 });
  log.close();
  return log.path;
}

/** A trail of `events` events in its own folder; returns the file and its head as the desk keeps it. */
let desks = 0;
function trailOf(events: number): { file: string; head: string } {
  const folder = fs.mkdtempSync(path.join(dir, 'desk-'));
  // Each desk began its trail at its own moment, as real desks do: that makes the trails differ.
  const began = Date.UTC(2026, 0, 1) + ++desks * 1000;
  const log = openAuditLog({ dir: folder, now: () => new Date(began) });
  for (let i = 0; i < events; i++) log.append({ type: 'autosaved', noteId: NOTE, count: i });
  const head = log.head();
  log.close();
  return { file: log.path, head: head ? formatHead(head) : '' };
}

/** The file with its last `n` lines cut off. */
function cut(file: string, n: number): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
  const target = `${file}.cut-${n}`;
  fs.writeFileSync(target, lines.slice(0, lines.length - n).map((l) => `${l}\n`).join(''));
  return target;
}

describe('kotozute-admin audit verify', () => {
  it('says the tail is unanchored for an intact chain checked without a head, and prints the head to keep', async () => {
    const file = writeTrail();
    expect(await runAuditVerify([file], io)).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^OK \(tail unanchored\) .*: 2 events, chain intact, last hash [0-9a-f]{64}; .*keep head [0-9a-f]{16}:2:[0-9a-f]{64}$/);
  });

  it('accepts the arguments after "audit" as well as after "audit verify"', async () => {
    expect(await runAuditVerify(['verify', writeTrail()], io)).toBe(0);
  });

  it('exits 1 and names the broken line', async () => {
    const file = writeTrail();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"count":2', '"count":3'));
    expect(await runAuditVerify([file], io)).toBe(1);
    expect(err.join('\n')).toMatch(/^BROKEN .*: line 2: /);
  });

  it('exits 1 for a missing file and 2 for bad usage', async () => {
    expect(await runAuditVerify([path.join(dir, 'absent.jsonl')], io)).toBe(1);
    expect(err.join('\n')).toContain('ENOENT');
    expect(await runAuditVerify([], io)).toBe(2);
    expect(await runAuditVerify(['a', 'b'], io)).toBe(2);
    expect(await runAuditVerify(['--bogus'], io)).toBe(2);
    expect(await runAuditVerify(['--help'], io)).toBe(0);
  });

  it('refuses an empty file and a file of blank content as "empty: nothing to verify", exit 1', async () => {
    const empty = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(empty, '');
    expect(await runAuditVerify([empty], io)).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([expect.stringMatching(/^empty: nothing to verify/)]);
  });

  it('verifies a one-event trail, unanchored without a head and anchored with its own', async () => {
    const { file, head } = trailOf(1);
    expect(await runAuditVerify([file], io)).toBe(0);
    expect(out[0]).toMatch(/^OK \(tail unanchored\) .*: 1 event, chain intact/);
    out = [];
    expect(await runAuditVerify([file, '--head', head], io)).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^OK \(anchored at line 1\) .*: 1 event, chain intact, .*; the head is its last line$/)]);
  });

  it('passes a file cut by its last line without a head (unanchored), and names where it ends with the head', async () => {
    const { file, head } = trailOf(20);
    const short = cut(file, 1);
    expect(await runAuditVerify([short], io)).toBe(0);
    expect(out[0]).toMatch(/^OK \(tail unanchored\) .*: 19 events/);
    expect(await runAuditVerify([short, '--head', head], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^SHORT .*: the file ends at line 19, before the head at line 20 \(1 line missing\)$/)]);
  });

  it('names where a file cut by its last 10 lines ends against the head', async () => {
    const { file, head } = trailOf(20);
    expect(await runAuditVerify([cut(file, 10), '--head', head], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^SHORT .*: the file ends at line 10, before the head at line 20 \(10 lines missing\)$/)]);
  });

  it('accepts a head the file reaches, with or without the trail, and counts the later lines as unanchored', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'desk-'));
    const log = openAuditLog({ dir: folder });
    for (let i = 0; i < 5; i++) log.append({ type: 'autosaved', noteId: NOTE, count: i });
    const head = formatHead(log.head()!);
    log.append({ type: 'created', noteId: NOTE });
    log.close();
    expect(await runAuditVerify([log.path, '--head', head], io)).toBe(0);
    expect(out[0]).toMatch(/^OK \(anchored at line 5\) .*: 6 events, .*; 1 later line unanchored$/);
    expect(await runAuditVerify([log.path, '--head', head.slice(17)], io)).toBe(0);
  });

  it('names the line where the file and a head it does not match part', async () => {
    const { file } = trailOf(8);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const seven = JSON.parse(lines[6]!) as { hash: string };
    const head = `7:${'f'.repeat(64)}`;
    expect(seven.hash).not.toBe('f'.repeat(64));
    expect(await runAuditVerify([file, '--head', head], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^PARTED .*: line 7: the file and the head part/)]);
  });

  it("refuses another desk's head, naming both trails", async () => {
    const mine = trailOf(6);
    const theirs = trailOf(6);
    expect(await runAuditVerify([mine.file, '--head', theirs.head], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^OTHER TRAIL .*: the head belongs to another trail \([0-9a-f]{16}: another desk.*this file is trail [0-9a-f]{16}$/)]);
    // Without the trail, the other desk's hash still parts from this file at the head's line.
    err = [];
    expect(await runAuditVerify([mine.file, '--head', theirs.head.slice(17)], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^PARTED .*: line 6: /)]);
  });

  it('refuses a malformed head as bad usage before reading the file', async () => {
    const { file } = trailOf(2);
    expect(await runAuditVerify([file, '--head', 'latest'], io)).toBe(2);
    expect(err[0]).toMatch(/--head expects TRAIL:SEQ:HASH, SEQ:HASH or a deletion record file/);
    expect(await runAuditVerify([file, '--head', `0:${'a'.repeat(64)}`], io)).toBe(2);
  });
});

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditChain, type AuditHead, type AuditInput, type AuditLog, type HeadKeeper } from '../../../../../../electron/main/services/audit/audit-log.js';
import { ApiError } from '../../../../../../shared/ipc/errors.js';

const NOTE = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
let dir: string;
let logs: AuditLog[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-audit-'));
  logs = [];
});
afterEach(() => {
  for (const l of logs) {
    try {
      l.close();
    } catch {
      // closed by the test
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(now?: () => Date): AuditLog {
  const log = openAuditLog({ dir, ...(now ? { now } : {}) });
  logs.push(log);
  return log;
}

function fiveEvents(log: AuditLog): void {
  log.append({ type: 'created', noteId: NOTE, clientId: 'sato-law' });
  log.append({ type: 'autosaved', noteId: NOTE, clientId: 'sato-law', count: 42 });
  log.append({ type: 'handed-off', noteId: NOTE, clientId: 'sato-law', channel: 'email' });
  log.append({ type: 'delivered', noteId: NOTE, clientId: 'sato-law', channel: 'email' });
  log.append({ type: 'wiped', noteId: NOTE, clientId: 'sato-law', reason: 'delivered', count: 42 });
}

const lines = (log: AuditLog) => fs.readFileSync(log.path, 'utf8').split('\n').filter(Boolean);
const rewrite = (log: AuditLog, ls: string[]) => fs.writeFileSync(log.path, `${ls.join('\n')}\n`);

describe('the audit trail', () => {
  it('chains every event to the one before, from 64 zeros, and verifies', () => {
    const log = open(() => new Date('2025-04-01T09:00:00.000Z'));
    fiveEvents(log);
    const events = log.read();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]!.prev).toBe('0'.repeat(64));
    for (let i = 1; i < events.length; i++) expect(events[i]!.prev).toBe(events[i - 1]!.hash);
    expect(events[0]).toMatchObject({ at: '2025-04-01T09:00:00.000Z', type: 'created', noteId: NOTE, clientId: 'sato-law' });
    expect(verifyAuditChain(fs.readFileSync(log.path, 'utf8'))).toEqual({ ok: true, events: 5, lastHash: events[4]!.hash, firstHash: events[0]!.hash });
  });

  it('continues the same chain after a restart', () => {
    const first = open();
    fiveEvents(first);
    first.close();
    const again = open();
    again.append({ type: 'created', noteId: NOTE });
    expect(again.movedAside).toBeNull();
    expect(verifyAuditChain(fs.readFileSync(again.path, 'utf8'))).toMatchObject({ ok: true, events: 6 });
  });

  it('drops half a line left at the end by a write cut short (a full disk) and keeps recording on the same chain', () => {
    const log = open();
    fiveEvents(log);
    // What a write cut short by ENOSPC leaves behind when it could not be taken back.
    fs.appendFileSync(log.path, '{"seq":6,"at":"2025-04');
    expect(() => log.append({ type: 'created', noteId: NOTE })).not.toThrow();
    const text = fs.readFileSync(log.path, 'utf8');
    expect(verifyAuditChain(text)).toMatchObject({ ok: true, events: 6 });
    expect(log.read().at(-1)).toMatchObject({ seq: 6, type: 'created' });
    expect(log.movedAside).toBeNull();
  });

  it('writes the file private (0600)', () => {
    const log = open();
    log.append({ type: 'created', noteId: NOTE });
    expect(fs.statSync(log.path).mode & 0o777).toBe(0o600);
  });

  it('names the line that was edited', () => {
    const log = open();
    fiveEvents(log);
    const ls = lines(log);
    ls[2] = ls[2]!.replace('"email"', '"slack"');
    rewrite(log, ls);
    expect(verifyAuditChain(fs.readFileSync(log.path, 'utf8'))).toMatchObject({ ok: false, line: 3, reason: expect.stringContaining('altered') });
  });

  it('names the line after one that was deleted', () => {
    const log = open();
    fiveEvents(log);
    const ls = lines(log);
    ls.splice(1, 1);
    rewrite(log, ls);
    expect(verifyAuditChain(fs.readFileSync(log.path, 'utf8'))).toMatchObject({ ok: false, line: 2 });
  });

  it('names the first line of two that were swapped', () => {
    const log = open();
    fiveEvents(log);
    const ls = lines(log);
    [ls[3], ls[4]] = [ls[4]!, ls[3]!];
    rewrite(log, ls);
    expect(verifyAuditChain(fs.readFileSync(log.path, 'utf8'))).toMatchObject({ ok: false, line: 4 });
  });

  it('catches a line whose hash was recomputed after an edit (the next line no longer follows)', () => {
    const log = open();
    fiveEvents(log);
    const ls = lines(log);
    const forged: Record<string, unknown> = { ...(JSON.parse(ls[1]!) as Record<string, unknown>), count: 1 };
    const rest: Record<string, unknown> = { ...forged };
    delete rest.hash;
    const sorted = Object.fromEntries(Object.keys(rest).sort().map((k) => [k, rest[k]]));
    forged.hash = createHash('sha256').update(String(rest.prev)).update(JSON.stringify(sorted)).digest('hex');
    ls[1] = JSON.stringify(forged);
    rewrite(log, ls);
    expect(verifyAuditChain(fs.readFileSync(log.path, 'utf8'))).toMatchObject({ ok: false, line: 3 });
  });

  it('names a line that is not an event, and a cut-short last line', () => {
    expect(verifyAuditChain('not json\n')).toMatchObject({ ok: false, line: 1 });
    const log = open();
    fiveEvents(log);
    const text = fs.readFileSync(log.path, 'utf8');
    expect(verifyAuditChain(text.slice(0, -20))).toMatchObject({ ok: false, line: 5 });
    expect(verifyAuditChain('')).toEqual({ ok: true, events: 0, lastHash: '0'.repeat(64), firstHash: '0'.repeat(64) });
  });

  it('refuses anything but ids, counts and codes, and writes nothing when it does', () => {
    const log = open();
    const refused: unknown[] = [
      { type: 'created', noteId: NOTE, text: '佐藤様より折り返し' },
      { type: 'failed', noteId: NOTE, reason: 'the caller 090-1234-5678 hung up' },
      { type: 'created', noteId: '090-1234-5678' },
      { type: 'created', clientId: '佐藤法律事務所' },
      { type: 'a free-text type' },
      { type: 'handed-off', channel: 'tanaka@example.com' },
      { type: 'autosaved', count: -1 },
    ];
    for (const input of refused) {
      let err: unknown;
      try {
        log.append(input as AuditInput);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApiError);
      const text = `${(err as ApiError).message} ${(err as ApiError).details.join(' ')}`;
      expect(text).not.toMatch(/佐藤|090-1234|tanaka|hung up/);
    }
    expect(fs.readFileSync(log.path, 'utf8')).toBe('');
    // A batch with one bad event is refused whole.
    expect(() => log.appendMany([{ type: 'created', noteId: NOTE }, { type: 'x' } as unknown as AuditInput])).toThrow(ApiError);
    expect(fs.readFileSync(log.path, 'utf8')).toBe('');
  });

  it('records many events with one write and keeps the chain', () => {
    const log = open();
    const events = log.appendMany(Array.from({ length: 1000 }, () => ({ type: 'wiped' as const, noteId: NOTE, reason: 'cleared' as const, count: 3 })));
    expect(events).toHaveLength(1000);
    expect(verifyAuditChain(fs.readFileSync(log.path, 'utf8'))).toMatchObject({ ok: true, events: 1000 });
  });

  it('moves a broken file aside, keeps it, and starts a new chain that says so', () => {
    const log = open();
    fiveEvents(log);
    log.close();
    const ls = lines(log);
    ls[0] = ls[0]!.replace('sato-law', 'other-law');
    rewrite(log, ls);
    const again = open();
    expect(again.movedAside).toMatchObject({ line: 1 });
    expect(fs.readFileSync(again.movedAside!.movedTo, 'utf8')).toContain('other-law');
    expect(again.read()).toEqual([expect.objectContaining({ seq: 1, type: 'audit-restarted', reason: 'chain-broken' })]);
  });

  it('follows another log object appending to the same file in this process', () => {
    const a = open();
    const b = open();
    a.append({ type: 'created', noteId: NOTE });
    b.append({ type: 'wiped', noteId: NOTE, reason: 'discarded' });
    a.append({ type: 'created', noteId: NOTE });
    expect(verifyAuditChain(fs.readFileSync(a.path, 'utf8'))).toMatchObject({ ok: true, events: 3 });
  });

  describe('anchored by the head the desk keeps', () => {
    /** The desk's encrypted store, reduced to the one value. */
    function keeper(): HeadKeeper & { kept: AuditHead | undefined } {
      const k = {
        kept: undefined as AuditHead | undefined,
        load: () => k.kept,
        save: (h: AuditHead) => {
          k.kept = h;
        },
      };
      return k;
    }
    function openKept(head: HeadKeeper): AuditLog {
      const log = openAuditLog({ dir, head, now: () => new Date('2026-03-01T09:00:00Z') });
      logs.push(log);
      return log;
    }
    function tenEvents(head: HeadKeeper): string {
      const log = openKept(head);
      for (let i = 0; i < 10; i++) log.append({ type: 'autosaved', noteId: NOTE, count: i });
      log.close();
      return log.path;
    }

    it('saves the head after every append and opens a file that reaches it without a word', () => {
      const head = keeper();
      const file = tenEvents(head);
      const verdict = verifyAuditChain(fs.readFileSync(file, 'utf8'));
      expect(verdict.ok && { seq: verdict.events, hash: verdict.lastHash, trail: verdict.firstHash.slice(0, 16) }).toEqual(head.kept);
      const again = openKept(head);
      expect(again.rolledBack).toBeNull();
      expect(again.movedAside).toBeNull();
      again.append({ type: 'created', noteId: NOTE });
      expect(head.kept?.seq).toBe(11);
      expect(again.read()).toHaveLength(11);
    });

    it('moves aside a file cut short by its last line, and begins a trail that records the rollback', () => {
      const head = keeper();
      const file = tenEvents(head);
      const whole = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, whole.split('\n').slice(0, 9).map((l) => `${l}\n`).join(''));
      const log = openKept(head);
      expect(log.rolledBack).toMatchObject({ kept: { seq: 10 }, detail: expect.stringMatching(/ends at line 9, before the head at line 10/) });
      const movedTo = log.rolledBack!.movedTo!;
      expect(fs.readFileSync(movedTo, 'utf8').split('\n')).toHaveLength(10);
      expect(log.read()).toEqual([expect.objectContaining({ seq: 1, type: 'audit-restarted', reason: 'audit-rolled-back' })]);
      expect(head.kept?.seq).toBe(1);
    });

    it('moves aside a file that parts from the head (a valid chain of its own, written over the kept one)', () => {
      const head = keeper();
      tenEvents(head);
      const before = head.kept!;
      fs.rmSync(path.join(dir, 'audit.jsonl'));
      // A second trail of ten events, begun at another time: it verifies, but is not the one the desk kept.
      const other = openAuditLog({ dir, now: () => new Date('2026-03-02T09:00:00Z') });
      for (let i = 0; i < 12; i++) other.append({ type: 'autosaved', noteId: NOTE, count: i });
      other.close();
      const log = openKept(head);
      expect(log.rolledBack?.detail).toMatch(/another trail/);
      expect(log.rolledBack?.kept).toEqual(before);
      expect(log.read()[0]).toMatchObject({ type: 'audit-restarted', reason: 'audit-rolled-back' });
    });

    it('records the rollback when the file is gone although events had been kept', () => {
      const head = keeper();
      const file = tenEvents(head);
      fs.rmSync(file);
      const log = openKept(head);
      expect(log.rolledBack).toMatchObject({ movedTo: null, detail: expect.stringMatching(/missing; the head is at line 10/) });
      expect(log.read()[0]).toMatchObject({ type: 'audit-restarted', reason: 'audit-rolled-back' });
    });

    it('opens a file with no head kept yet (a desk from before heads were kept) and starts keeping one', () => {
      const file = tenEvents({ load: () => undefined, save: () => undefined });
      const head = keeper();
      const log = openKept(head);
      expect(log.rolledBack).toBeNull();
      log.append({ type: 'created', noteId: NOTE });
      expect(head.kept?.seq).toBe(11);
      expect(fs.existsSync(file)).toBe(true);
    });
  });
});

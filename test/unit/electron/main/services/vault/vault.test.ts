import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../../../../electron/main/services/audit/audit-log.js';
import { ApiError } from '../../../../../../shared/ipc/errors.js';
import { callAad, fieldsAad, noteKeys, open, unwrapDataKey } from '../../../../../../electron/main/services/vault/note-crypto.js';
import { KeyLineSchema, NoteFileSchema } from '../../../../../../electron/main/services/vault/note-file.js';
import { openDesk, sampleCall, type Desk } from './desk-fixture.js';

let desk: Desk;
afterEach(() => desk?.dispose());

const noteFile = (d: Desk, id: string) => path.join(d.vaultDir, 'notes', `${id}.note`);
const keyLines = (d: Desk) =>
  fs
    .readFileSync(path.join(d.vaultDir, 'keys.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.includes('"gone":true'))
    .map((l) => KeyLineSchema.parse(JSON.parse(l)));

function newNote(d: Desk, training = false) {
  return d.vault.create({ callId: `call-${randomBytes(4).toString('hex')}`, clientId: 'sato-law', training, call: sampleCall() });
}

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('the note vault', () => {
  it('reads back exactly the fields and call context it saved', () => {
    desk = openDesk();
    const meta = newNote(desk);
    expect(meta).toMatchObject({ state: 'draft', saves: 0, clientId: 'sato-law', training: false });
    const fields = { callerName: '佐藤 花子', callbackNumber: '090-1234-5678', freeText: '明日の10時に折り返しを希望' };
    const saved = desk.vault.save(meta.id, fields);
    expect(saved.saves).toBe(1);
    expect(desk.vault.read(meta.id)).toEqual({ meta: saved, content: { fields, call: sampleCall() } });
  });

  it('brings unfinished notes back with their call context after a restart', () => {
    desk = openDesk();
    const a = newNote(desk);
    const b = newNote(desk);
    desk.vault.save(a.id, { subject: '見積もり' });
    desk.vault.save(a.id, { subject: '見積もりの件' });
    desk.vault.setState(b.id, 'ready');

    const again = desk.restart();
    expect(again.list().map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect(again.read(a.id).content).toEqual({ fields: { subject: '見積もりの件' }, call: sampleCall() });
    expect(again.read(a.id).meta.saves).toBe(2);
    expect(again.read(b.id).meta.state).toBe('ready');
    expect(again.quarantined()).toEqual([]);
  });

  it('gives every note its own data key, kept on disk only wrapped', () => {
    desk = openDesk();
    const ids = [newNote(desk).id, newNote(desk).id, newNote(desk).id];
    const lines = keyLines(desk);
    expect(lines.map((l) => l.id).sort()).toEqual([...ids].sort());
    const dataKeys = lines.map((l) => unwrapDataKey(l.key, desk.kek, l.id).toString('hex'));
    expect(new Set(dataKeys).size).toBe(3);
    // The same key wrapped under another note's id does not open: the id is bound in.
    expect(() => unwrapDataKey(lines[0]!.key, desk.kek, lines[1]!.id)).toThrow();
    // No file holds a data key in the clear.
    for (const f of fs.readdirSync(desk.vaultDir, { recursive: true }) as string[]) {
      const full = path.join(desk.vaultDir, f);
      if (!fs.statSync(full).isFile()) continue;
      const bytes = fs.readFileSync(full);
      for (const k of dataKeys) {
        expect(bytes.includes(Buffer.from(k, 'hex'))).toBe(false);
        expect(bytes.includes(Buffer.from(Buffer.from(k, 'hex').toString('base64')))).toBe(false);
      }
    }
  });

  it('writes note files and the key table private (0600) in a private folder', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    desk.vault.save(id, { subject: 'x' });
    expect(fs.statSync(noteFile(desk, id)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(desk.vaultDir, 'keys.jsonl')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(desk.vaultDir).mode & 0o077).toBe(0);
    expect(fs.readdirSync(path.join(desk.vaultDir, 'notes'))).toEqual([`${id}.note`]);
  });

  it('quarantines and reports a note file whose ciphertext was altered, and keeps the others', () => {
    desk = openDesk();
    const bad = newNote(desk);
    const good = newNote(desk);
    desk.vault.save(bad.id, { subject: 'one' });
    const file = noteFile(desk, bad.id);
    const parsed = NoteFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    const data = Buffer.from(parsed.fields.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    fs.writeFileSync(file, JSON.stringify({ ...parsed, fields: { ...parsed.fields, data: data.toString('base64') } }));

    const again = desk.restart();
    expect(again.list().map((m) => m.id)).toEqual([good.id]);
    const [q] = again.quarantined();
    expect(q).toMatchObject({ noteId: bad.id, reason: 'tampered' });
    expect(fs.existsSync(q!.movedTo)).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    expect(desk.audit.read().filter((e) => e.type === 'quarantined')).toEqual([expect.objectContaining({ noteId: bad.id, reason: 'tampered' })]);
    expect(desk.logLines.some((l) => l.includes('vault.note-quarantined'))).toBe(true);
    expect(errorOf(() => again.read(bad.id)).code).toBe('not-found');
  });

  it('quarantines a note whose meta was edited on disk (a state or date is not taken on trust)', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    const file = noteFile(desk, id);
    const parsed = NoteFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    fs.writeFileSync(file, JSON.stringify({ ...parsed, meta: { ...parsed.meta, createdAt: '2099-01-01T00:00:00.000Z' } }));
    expect(desk.restart().quarantined()).toEqual([expect.objectContaining({ noteId: id, reason: 'tampered' })]);
  });

  it("quarantines a note copied over another note's file name", () => {
    desk = openDesk();
    const a = newNote(desk);
    const b = newNote(desk);
    fs.copyFileSync(noteFile(desk, a.id), noteFile(desk, b.id));
    const again = desk.restart();
    expect(again.list().map((m) => m.id)).toEqual([a.id]);
    expect(again.quarantined()).toEqual([expect.objectContaining({ noteId: b.id, reason: 'tampered' })]);
  });

  it("reports notes sealed under another shift's key as wrong-key, and a file that is not a note as unreadable", () => {
    desk = openDesk();
    const { id } = newNote(desk);
    fs.writeFileSync(path.join(desk.vaultDir, 'notes', `${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.note`), '{"cut short');
    const again = desk.restart(randomBytes(32));
    const reasons = again.quarantined().map((q) => [q.noteId, q.reason]);
    expect(reasons).toContainEqual([id, 'wrong-key']);
    expect(reasons).toContainEqual([`${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, 'unreadable']);
    expect(again.list()).toEqual([]);
  });

  it('wipes a note: the file and its wrapped key are gone and the note cannot be read, even after a restart', () => {
    desk = openDesk();
    const keep = newNote(desk);
    const gone = newNote(desk);
    desk.vault.save(gone.id, { subject: 'x' });
    desk.vault.setState(gone.id, 'handing-off');
    desk.vault.setState(gone.id, 'delivered');
    desk.vault.wipe(gone.id, 'delivered');

    expect(fs.existsSync(noteFile(desk, gone.id))).toBe(false);
    expect(keyLines(desk).map((l) => l.id)).toEqual([keep.id]);
    expect(errorOf(() => desk.vault.read(gone.id)).code).toBe('not-found');
    expect(desk.restart().list().map((m) => m.id)).toEqual([keep.id]);
    const wiped = desk.audit.read().filter((e) => e.type === 'wiped');
    expect(wiped).toEqual([expect.objectContaining({ noteId: gone.id, clientId: 'sato-law', reason: 'delivered', count: 1 })]);
  });

  it('crypto-erase: after a wipe, nothing left on the desk opens a copy of the note file taken before it', () => {
    desk = openDesk();
    const others = [newNote(desk), newNote(desk)];
    for (const o of others) desk.vault.save(o.id, { subject: 'other' });
    const victim = newNote(desk);
    desk.vault.save(victim.id, { subject: '削除されるメモ', freeText: 'x'.repeat(100) });
    const captured = NoteFileSchema.parse(JSON.parse(fs.readFileSync(noteFile(desk, victim.id), 'utf8')));
    const capturedKeyLine = keyLines(desk).find((l) => l.id === victim.id)!;

    desk.vault.wipeMany([victim.id], 'discarded');

    // Every piece of key material the desk still has: the KEK, every wrapped key it can unwrap,
    // their derived keys, and every 16..64-byte base64 value in any file left on the desk.
    const candidates: Buffer[] = [desk.kek, ...Object.values(noteKeys(desk.kek))];
    for (const line of keyLines(desk)) {
      const dataKey = unwrapDataKey(line.key, desk.kek, line.id);
      candidates.push(dataKey, ...Object.values(noteKeys(dataKey)));
    }
    for (const f of fs.readdirSync(desk.root, { recursive: true }) as string[]) {
      const full = path.join(desk.root, f);
      if (!fs.statSync(full).isFile()) continue;
      const text = fs.readFileSync(full, 'utf8');
      expect(text.includes(capturedKeyLine.key.data)).toBe(false);
      for (const m of text.matchAll(/[A-Za-z0-9+/]{20,}={0,2}/g)) {
        const bytes = Buffer.from(m[0], 'base64');
        if (bytes.length >= 32) candidates.push(bytes.subarray(0, 32), ...Object.values(noteKeys(bytes.subarray(0, 32))));
      }
    }
    expect(candidates.length).toBeGreaterThan(10);
    let opened = 0;
    for (const key of candidates) {
      for (const attempt of [
        () => open(captured.call, key, callAad(victim.id)),
        () => open(captured.fields, key, fieldsAad(victim.id, captured.rev)),
      ]) {
        try {
          attempt();
          opened++;
        } catch {
          // the expected outcome
        }
      }
    }
    expect(opened).toBe(0);
    // The control: with the key the wipe destroyed, the same bytes do open.
    const lost = noteKeys(unwrapDataKey(capturedKeyLine.key, desk.kek, victim.id));
    expect(JSON.parse(open(captured.fields, lost.content, fieldsAad(victim.id, captured.rev)).toString('utf8'))).toMatchObject({ subject: '削除されるメモ' });
  });

  it('destroys the KEK only when no note is left, and then nothing opens even a copy of the key table', async () => {
    desk = openDesk();
    const { id } = newNote(desk);
    const capturedKeys = fs.readFileSync(path.join(desk.vaultDir, 'keys.jsonl'), 'utf8');
    await expect(desk.vault.destroyKek()).rejects.toMatchObject({ code: 'not-allowed' });
    desk.vault.wipe(id, 'cleared');
    await desk.vault.destroyKek();
    expect(fs.existsSync(path.join(desk.vaultDir, 'keys.jsonl'))).toBe(false);
    expect(desk.audit.read().at(-1)).toMatchObject({ type: 'kek-destroyed' });
    expect(errorOf(() => desk.vault.list()).code).toBe('not-allowed');
    const line = KeyLineSchema.parse(JSON.parse(capturedKeys.trim()));
    // The next shift's KEK is a new random key: it does not unwrap yesterday's keys.
    expect(() => unwrapDataKey(line.key, randomBytes(32), id)).toThrow();
  });

  it('stores 1 MB of free text and reads it back', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    const big = 'あいうえお、折り返し希望。'.repeat(Math.ceil(1_048_576 / 39)).slice(0, 1_048_576 / 3) + 'z'.repeat(1_048_576 - 1_048_576 / 3);
    expect(Buffer.byteLength(big)).toBeGreaterThan(1_048_576);
    desk.vault.save(id, { freeText: big });
    expect(desk.restart().read(id).content.fields.freeText).toBe(big);
  });

  it('keeps emoji and variation selectors exactly, and replaces a lone surrogate with U+FFFD instead of failing', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    const exact = '👨‍👩‍👧 ❤️ 葛󠄀城 🇯🇵';
    desk.vault.save(id, { a: exact, b: `前\uD83D後`, c: `\uDC00先頭` });
    const back = desk.restart().read(id).content.fields;
    expect(back).toEqual({ a: exact, b: '前\uFFFD後', c: '\uFFFD先頭' });
  });

  it('refuses bad input without echoing the refused value', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    const secret = '090-9999-8888';
    const err = errorOf(() => desk.vault.save(id, { 'not a field id': secret }));
    expect(err.code).toBe('invalid-argument');
    expect(`${err.message} ${err.details.join(' ')}`).not.toContain(secret);
    expect(errorOf(() => desk.vault.save(id, { big: 'x'.repeat(2_000_001) })).code).toBe('invalid-argument');
    expect(errorOf(() => desk.vault.create({ callId: 'c 1', clientId: null, training: false, call: sampleCall() })).code).toBe('invalid-argument');
  });

  it('counts autosaves instead of auditing each one, and records the count at hand-off', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    for (let i = 1; i <= 25; i++) desk.vault.save(id, { freeText: '折り返し'.slice(0, (i % 4) + 1) });
    expect(desk.audit.read().map((e) => e.type)).toEqual(['created']);
    desk.vault.setState(id, 'handing-off');
    expect(desk.audit.read().at(-1)).toMatchObject({ type: 'autosaved', noteId: id, count: 25 });
  });

  it('enforces the life of a note: no edits once handed off, training notes never handed off, "delivered" only when delivered', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    desk.vault.setState(id, 'handing-off');
    expect(errorOf(() => desk.vault.save(id, { a: 'b' })).code).toBe('not-allowed');
    expect(errorOf(() => desk.vault.wipe(id, 'delivered')).code).toBe('not-allowed');
    desk.vault.setState(id, 'failed');
    desk.vault.save(id, { a: 'fixed' });
    expect(errorOf(() => desk.vault.setState(id, 'delivered')).code).toBe('not-allowed');

    const training = newNote(desk, true);
    expect(errorOf(() => desk.vault.setState(training.id, 'handing-off')).code).toBe('not-allowed');
    desk.vault.wipe(training.id, 'training');
    expect(errorOf(() => desk.vault.wipe(id, 'training')).code).toBe('not-allowed');
  });

  it('wipes nothing when one id in a batch is unknown', () => {
    desk = openDesk();
    const a = newNote(desk);
    expect(errorOf(() => desk.vault.wipeMany([a.id, '00000000-0000-4000-8000-000000000000'], 'cleared')).code).toBe('not-found');
    expect(desk.vault.list().map((m) => m.id)).toEqual([a.id]);
  });

  it("expires notes past their client's retention as undelivered, and keeps notes whose retention is broken", () => {
    let clock = new Date('2025-04-01T09:00:00.000Z');
    // Time really passes here: the monotonic clock moves with the wall clock.
    desk = openDesk({ now: () => clock, monotonic: () => clock.getTime() });
    const old = newNote(desk);
    const other = desk.vault.create({ callId: 'c2', clientId: 'broken-client', training: false, call: sampleCall() });
    clock = new Date('2025-04-01T12:00:00.000Z');
    const fresh = newNote(desk);
    const hours = (c: string | null) => (c === 'broken-client' ? Number.NaN : 2);
    const at = new Date('2025-04-01T12:30:00.000Z');

    expect(desk.vault.expiring(at, hours).map((m) => m.id)).toEqual([old.id]);
    expect(desk.vault.expire(at, hours).map((m) => m.id)).toEqual([old.id]);
    expect(desk.vault.list().map((m) => m.id).sort()).toEqual([other.id, fresh.id].sort());
    expect(desk.audit.read().at(-1)).toMatchObject({ type: 'expired', noteId: old.id, clientId: 'sato-law', reason: 'undelivered', count: 0 });
  });

  describe('when the wall clock jumps an hour', () => {
    const HOUR = 3_600_000;
    const hours = () => 2;

    it('never destroys an undelivered note early because the clock jumped forward', () => {
      let real = Date.parse('2025-04-01T09:00:00.000Z');
      let offset = 0;
      const wall = () => new Date(real + offset);
      desk = openDesk({ now: wall, monotonic: () => real });
      const note = newNote(desk);
      real += 1.5 * HOUR;
      offset += HOUR;
      // The wall clock says 2 h 30 min; only 1 h 30 min has passed.
      expect(desk.vault.expiring(wall(), hours)).toEqual([]);
      expect(desk.vault.expire(wall(), hours)).toEqual([]);
      real += 0.5 * HOUR;
      expect(desk.vault.expire(wall(), hours).map((m) => m.id)).toEqual([note.id]);
      expect(desk.audit.read().at(-1)).toMatchObject({ type: 'expired', noteId: note.id, reason: 'undelivered' });
    });

    it('destroys a delivered note once its retention has really passed, though the clock jumped back', () => {
      let real = Date.parse('2025-04-01T09:00:00.000Z');
      let offset = 0;
      const wall = () => new Date(real + offset);
      desk = openDesk({ now: wall, monotonic: () => real });
      const note = newNote(desk);
      for (const state of ['ready', 'handing-off', 'delivered'] as const) desk.vault.setState(note.id, state);
      real += 1.5 * HOUR;
      offset -= HOUR;
      expect(desk.vault.expire(wall(), hours)).toEqual([]);
      real += 0.5 * HOUR;
      // The wall clock says 1 h; 2 h have passed: the next look destroys it.
      expect(desk.vault.expire(wall(), hours).map((m) => m.id)).toEqual([note.id]);
      expect(desk.audit.read().at(-1)).toMatchObject({ type: 'expired', noteId: note.id, reason: 'delivered' });
    });

    it('still destroys a delivered note on time by the wall clock after the computer slept (the monotonic clock stood still)', () => {
      let real = Date.parse('2025-04-01T09:00:00.000Z');
      let asleep = 0;
      desk = openDesk({ now: () => new Date(real), monotonic: () => real - asleep });
      const note = newNote(desk);
      for (const state of ['ready', 'handing-off', 'delivered'] as const) desk.vault.setState(note.id, state);
      const draft = newNote(desk);
      real += 2 * HOUR;
      asleep += 2 * HOUR;
      // The undelivered one is kept until the monotonic clock agrees: a message is never lost to a sleep.
      expect(desk.vault.expire(new Date(real), hours).map((m) => m.id)).toEqual([note.id]);
      expect(desk.vault.list().map((m) => m.id)).toEqual([draft.id]);
    });
  });

  it('cleans up after a crash: a half-written temporary file is removed and a key without a note is dropped', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    fs.writeFileSync(path.join(desk.vaultDir, 'notes', `.${id}.note.abc123.tmp`), 'ciphertext');
    const orphan = newNote(desk);
    fs.rmSync(noteFile(desk, orphan.id));
    fs.appendFileSync(path.join(desk.vaultDir, 'keys.jsonl'), '{"id":"torn');

    const again = desk.restart();
    expect(again.list().map((m) => m.id)).toEqual([id]);
    expect(fs.readdirSync(path.join(desk.vaultDir, 'notes'))).toEqual([`${id}.note`]);
    expect(keyLines(desk).map((l) => l.id)).toEqual([id]);
    expect(desk.audit.read().at(-1)).toMatchObject({ type: 'keys-discarded', count: 1 });
  });

  it('erases a large batch before it returns (keys gone, audited) and removes its files right after', async () => {
    desk = openDesk();
    const keep = newNote(desk);
    const batch = Array.from({ length: 150 }, () => newNote(desk).id);
    const sample = NoteFileSchema.parse(JSON.parse(fs.readFileSync(noteFile(desk, batch[0]!), 'utf8')));
    desk.vault.wipeMany(batch, 'cleared');
    // Erased at once: the keys are gone and every wipe is recorded, whether or not the file is still there.
    expect(keyLines(desk).map((l) => l.id)).toEqual([keep.id]);
    expect(desk.audit.read().filter((e) => e.type === 'wiped')).toHaveLength(150);
    expect(() => open(sample.fields, desk.kek, fieldsAad(batch[0]!, sample.rev))).toThrow();
    await desk.vault.whenFilesRemoved();
    expect(fs.readdirSync(path.join(desk.vaultDir, 'notes'))).toEqual([`${keep.id}.note`]);
  });

  it('removes, not quarantines, the file of a wiped note that a crash left behind', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    const bytes = fs.readFileSync(noteFile(desk, id));
    desk.vault.wipe(id, 'discarded');
    fs.writeFileSync(noteFile(desk, id), bytes); // as if the process died before the file was removed
    const again = desk.restart();
    expect(again.quarantined()).toEqual([]);
    expect(again.list()).toEqual([]);
    expect(fs.existsSync(noteFile(desk, id))).toBe(false);
    expect(fs.readFileSync(path.join(desk.vaultDir, 'keys.jsonl'), 'utf8')).toBe('');
    expect(desk.audit.read().map((e) => e.type)).toEqual(['created', 'wiped']);
  });

  it('leaves an audit trail that verifies', () => {
    desk = openDesk();
    const { id } = newNote(desk);
    desk.vault.save(id, { a: 'b' });
    desk.vault.setState(id, 'handing-off');
    desk.vault.setState(id, 'delivered');
    desk.vault.wipe(id, 'delivered');
    expect(verifyAuditChain(fs.readFileSync(desk.audit.path, 'utf8'))).toMatchObject({ ok: true, events: 3 });
  });
});

/**
 * The vault with its shift KEK in a real gnome-keyring (run under test/support/with-keyring.sh):
 * what a desk does at every start, at every wipe, and at the end of the day.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog, verifyAuditChain, type AuditLog } from '../../../electron/main/services/audit/audit-log.js';
import { createKeytarKeyStore } from '../../../electron/main/services/keychain.js';
import { createLogger } from '../../../electron/main/services/log.js';
import { callAad, fieldsAad, noteKeys, open, unwrapDataKey } from '../../../electron/main/services/vault/note-crypto.js';
import { KeyLineSchema, NoteFileSchema, type NoteFile } from '../../../electron/main/services/vault/note-file.js';
import { wellFormed } from '../../../electron/main/services/vault/note-input.js';
import { openVault, SHIFT_KEK_ACCOUNT, type Vault } from '../../../electron/main/services/vault/vault.js';
import { makeCanaries, scanForCanaries } from '../../unit/electron/main/services/vault/canary.js';
import { keyringReady, LOCK_DEFAULT_COLLECTION, notReadyMessage, repoRoot, runInSession } from '../services/keychain-child.js';

if (!keyringReady) console.warn(`vault + keychain integration tests ${notReadyMessage}`);

let root: string;
let keyStore: ReturnType<typeof createKeytarKeyStore>;
let logLines: string[];
let audit: AuditLog;
let vault: Vault | undefined;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-vault-keychain-'));
  // A service name of its own per test: each test starts with no KEK in the keychain.
  keyStore = createKeytarKeyStore({ service: `Kotozute-test-${randomUUID()}`, timeoutMs: 5000 });
  logLines = [];
  audit = openAuditLog({ dir: path.join(root, 'audit') });
});
afterEach(async () => {
  vault?.close();
  vault = undefined;
  audit.close();
  if (keyringReady) await keyStore.delete(SHIFT_KEK_ACCOUNT);
  fs.rmSync(root, { recursive: true, force: true });
});

const vaultDir = () => path.join(root, 'vault');
async function start(): Promise<Vault> {
  vault?.close();
  vault = await openVault({ dir: vaultDir(), keyStore, audit, log: createLogger((l) => logLines.push(l)) });
  return vault;
}
const readNoteFile = (id: string): NoteFile => NoteFileSchema.parse(JSON.parse(fs.readFileSync(path.join(vaultDir(), 'notes', `${id}.note`), 'utf8')));
const keyLines = () =>
  fs.existsSync(path.join(vaultDir(), 'keys.jsonl'))
    ? fs.readFileSync(path.join(vaultDir(), 'keys.jsonl'), 'utf8').split('\n').filter((l) => l && !l.includes('"gone":true')).map((l) => KeyLineSchema.parse(JSON.parse(l)))
    : [];
const call = { did: '03-5555-0101', callerName: '佐藤 花子', callerNumber: '090-1234-5678', receivedAt: '2025-04-01T09:30:00.000Z' };

/** Tries every key the desk holds on the captured note; returns how many opened it (must be 0). */
function openings(captured: NoteFile, id: string, keys: Buffer[]): number {
  let opened = 0;
  for (const key of keys.flatMap((k) => [k, ...Object.values(noteKeys(k))])) {
    for (const attempt of [() => open(captured.call, key, callAad(id)), () => open(captured.fields, key, fieldsAad(id, captured.rev))]) {
      try {
        attempt();
        opened++;
      } catch {
        // expected
      }
    }
  }
  return opened;
}

describe.skipIf(!keyringReady)(`the vault keyed from the OS keychain${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  it('keeps the shift KEK in the keychain only, and brings notes back after a restart', async () => {
    const v = await start();
    const { id } = v.create({ callId: 'call-1', clientId: 'sato-law', training: false, call });
    v.save(id, { subject: '見積もりの件' });
    const kek = Buffer.from((await keyStore.get(SHIFT_KEK_ACCOUNT)) as string, 'base64');
    expect(kek).toHaveLength(32);
    for (const f of fs.readdirSync(root, { recursive: true }) as string[]) {
      const full = path.join(root, f);
      if (!fs.statSync(full).isFile()) continue;
      const bytes = fs.readFileSync(full);
      expect(bytes.includes(kek)).toBe(false);
      expect(bytes.includes(Buffer.from(kek.toString('base64')))).toBe(false);
    }
    const again = await start();
    expect(again.read(id).content).toEqual({ fields: { subject: '見積もりの件' }, call });
  });

  it('crypto-erase: after the wipe nothing on the desk opens the note, and after the end of day not even yesterday\'s key table does', async () => {
    const v = await start();
    const others = [0, 1, 2].map((i) => v.create({ callId: `other-${i}`, clientId: 'sato-law', training: false, call }));
    for (const o of others) v.save(o.id, { subject: 'other' });
    const victim = v.create({ callId: 'victim', clientId: 'sato-law', training: false, call });
    v.save(victim.id, { subject: '消されるメモ' });
    const captured = readNoteFile(victim.id);
    const capturedKeyTable = keyLines();

    v.setState(victim.id, 'handing-off');
    v.setState(victim.id, 'delivered');
    v.wipe(victim.id, 'delivered');

    // Everything left: the KEK in the keychain, every wrapped key the desk still has (unwrapped).
    const kek = Buffer.from((await keyStore.get(SHIFT_KEK_ACCOUNT)) as string, 'base64');
    const left = [kek, ...keyLines().map((l) => unwrapDataKey(l.key, kek, l.id))];
    expect(left).toHaveLength(4);
    expect(openings(captured, victim.id, left)).toBe(0);
    expect(keyLines().some((l) => l.id === victim.id)).toBe(false);

    // End of day: the rest are cleared and the KEK is destroyed in the keychain.
    v.wipeMany(others.map((o) => o.id), 'cleared');
    await v.destroyKek();
    expect(await keyStore.get(SHIFT_KEK_ACCOUNT)).toBeNull();
    // The next shift gets a new KEK; with it, even the copy of the key table taken before the wipe is useless.
    await start();
    const nextKek = Buffer.from((await keyStore.get(SHIFT_KEK_ACCOUNT)) as string, 'base64');
    expect(nextKek.equals(kek)).toBe(false);
    const victimLine = capturedKeyTable.find((l) => l.id === victim.id)!;
    expect(() => unwrapDataKey(victimLine.key, nextKek, victim.id)).toThrow();
    expect(openings(captured, victim.id, [nextKek])).toBe(0);
    expect(verifyAuditChain(fs.readFileSync(audit.path, 'utf8'))).toMatchObject({ ok: true });
  });

  it('canary: typed values reach no file under the data folder or the temp folder, and no log, before and after hand-off', async () => {
    const since = Date.now() - 1000;
    const c = makeCanaries();
    const values = { ...c.values, freeTextStored: wellFormed(c.values.freeText as string) };
    const v = await start();
    const scan = (when: string) => {
      const r = scanForCanaries({ values, whole: [root], recent: [os.tmpdir()], since, extraText: [{ name: 'log', text: logLines.join('\n') }] });
      expect(r.hits, `${when}: ${JSON.stringify(r.hits)}`).toEqual([]);
      return r;
    };
    const { id } = v.create({ callId: 'canary', clientId: 'sato-law', training: false, call: c.call });
    const typed: Record<string, string> = {};
    for (const [k, val] of Object.entries(c.fields)) {
      for (const cut of [1, Math.ceil(val.length / 2), val.length]) {
        typed[k] = val.slice(0, cut);
        v.save(id, typed);
      }
    }
    const r = scan('after autosave');
    console.info(`canary scan after autosave: ${r.files} files, ${r.bytes} bytes, ${Object.keys(values).length} canaries, 0 hits`);
    v.setState(id, 'handing-off');
    scan('at hand-off');
    v.setState(id, 'delivered');
    v.wipe(id, 'delivered');
    scan('after the wipe');
    for (const line of fs.readFileSync(audit.path, 'utf8').split('\n')) {
      for (const value of Object.values(values)) expect(line.includes(value)).toBe(false);
    }
  });

  it('refuses to take notes when the keyring is locked, and writes nothing', () => {
    const dir = path.join(root, 'locked-vault');
    const vaultUrl = pathToFileURL(path.join(repoRoot, 'electron/main/services/vault/vault.ts')).href;
    const auditUrl = pathToFileURL(path.join(repoRoot, 'electron/main/services/audit/audit-log.ts')).href;
    const { value } = runInSession(
      { kind: 'private-keyring', before: LOCK_DEFAULT_COLLECTION },
      `
      const { openVault } = await import(${JSON.stringify(vaultUrl)});
      const { openAuditLog } = await import(${JSON.stringify(auditUrl)});
      const log = { debug() {}, info() {}, warn() {}, error() {} };
      try {
        await openVault({ dir: ${JSON.stringify(dir)}, keyStore: keychain.createKeytarKeyStore({ timeoutMs: 5000 }), audit: openAuditLog({ dir: scratch }), log });
        print({ opened: true });
      } catch (err) {
        print({ code: err.code, message: err.message });
      }
      `,
      60_000,
    );
    expect(value).toMatchObject({ code: 'keychain-unavailable', message: expect.stringMatching(/keychain is unavailable.*locked/i) });
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses to take notes when there is no Secret Service at all, and says why', () => {
    const dir = path.join(root, 'no-keychain-vault');
    const vaultUrl = pathToFileURL(path.join(repoRoot, 'electron/main/services/vault/vault.ts')).href;
    const auditUrl = pathToFileURL(path.join(repoRoot, 'electron/main/services/audit/audit-log.ts')).href;
    const { value } = runInSession(
      { kind: 'bus-without-keyring' },
      `
      const { openVault } = await import(${JSON.stringify(vaultUrl)});
      const { openAuditLog } = await import(${JSON.stringify(auditUrl)});
      const log = { debug() {}, info() {}, warn() {}, error() {} };
      try {
        await openVault({ dir: ${JSON.stringify(dir)}, keyStore: keychain.createKeytarKeyStore({ timeoutMs: 5000 }), audit: openAuditLog({ dir: scratch }), log });
        print({ opened: true });
      } catch (err) {
        print({ code: err.code, message: err.message, details: err.details });
      }
      `,
      60_000,
    );
    expect(value).toMatchObject({ code: 'keychain-unavailable', details: ['no-secret-service'] });
    expect(fs.existsSync(dir)).toBe(false);
  });
});

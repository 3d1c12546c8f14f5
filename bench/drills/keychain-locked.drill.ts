/**
 * The keychain locked mid-shift: a real desk (createDesk, the real keytar key store on the real
 * Secret Service — gnome-keyring under `npm run drill`'s with-keyring.sh, DISPLAY unset) provisioned
 * with a live client whose hand-off goes to the loopback HTTPS webhook receiver. Each trial the
 * login collection is locked as the desktop locks it (test/support/keyring-lock.ts says how, and
 * how it is unlocked headless: the control socket, as PAM does), and the operator goes on:
 * autosaving the note being typed, taking and handing off messages, opening earlier notes, a shift
 * lead's clearance attempt; then the desk restarts while locked (it must refuse notes with the
 * keychain's 'locked' reason and change no file), the keyring is unlocked and the desk restarts.
 *
 * What the desk does, found with this drill: notes, hand-offs and the channel's secret need no
 * keychain call mid-shift (the shift key and the store keys are read once, at start; the channel
 * secret lives in the sealed desk store, not in the keychain). The clearance and a restart do.
 *
 * Lost: an accepted hand-off never delivered, a save that returned and is not there after the
 * restart, a quarantined note. Recovery: unlock → the desk started and every queued message delivered.
 */
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createDesk, type Desk } from '../../electron/main/services/desk.js';
import { generateAdminKeyPair } from '../../electron/main/services/directory/bundle.js';
import { createKeytarKeyStore } from '../../electron/main/services/keychain.js';
import { nullLogger } from '../../electron/main/services/log.js';
import { idempotencyKeyFor } from '../../electron/main/services/outbox/job.js';
import { en } from '../../renderer/src/i18n/en.js';
import { ja } from '../../renderer/src/i18n/ja.js';
import { generateClient } from '../../test/support/generate-directory.js';
import { canUnlockKeyring, lockKeyring, unlockKeyring } from '../../test/support/keyring-lock.js';
import { provisioningProfile } from '../../test/support/provisioning-profile.js';
import { startHttpsReceiver } from '../../test/support/receivers/https-receiver.js';
import { loopbackCa } from '../../test/support/receivers/loopback-ca.js';
import { fixtureIdentity, makeRoster } from '../../test/support/roster-fixture.js';
import type { BenchResult } from '../harness.js';
import { drillRows, QUICK, repoRoot, sleep, type Drill } from './drill-harness.js';
import { duplicatesDelivered } from './sigkill-handoff.drill.js';

const TRIALS = QUICK ? 3 : 20;
const KEYCHAIN_TIMEOUT_MS = 5_000;
const DELIVERY_DEADLINE_MS = 30_000;
const CLIENT = 'drill-client';
const DID = '0312345678';
const MEMO = '折り返しをお願いします。カナリア-7f3a';

/** Every file under `dir` with its size, mode and modification time (what "changed no file" compares). */
function snapshot(dir: string): string {
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(d, e.name);
      if (e.isDirectory()) return [`${path.relative(dir, p)}/`, ...walk(p)];
      const st = fs.statSync(p);
      return [`${path.relative(dir, p)} ${st.size} ${st.mode.toString(8)} ${st.mtimeMs}`];
    });
  return walk(dir).sort().join('\n');
}

/** Files under `dir` that hold any of `needles` in plain text. */
function plainTextHits(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const text = fs.readFileSync(p).toString('utf8');
        for (const n of needles) if (text.includes(n)) hits.push(`${path.relative(dir, p)}: ${n.slice(0, 8)}…`);
      }
    }
  };
  walk(dir);
  return hits;
}

type Outcome = { ok: true } | { ok: false; code: string; reason: string };

async function outcome(slow: { count: number }, call: () => unknown): Promise<Outcome> {
  const started = performance.now();
  try {
    await call();
    return { ok: true };
  } catch (err) {
    const e = err as { code?: unknown; details?: unknown; name?: unknown };
    const details = Array.isArray(e.details) ? (e.details as unknown[]) : [];
    return { ok: false, code: typeof e.code === 'string' ? e.code : String(e.name), reason: typeof details[0] === 'string' ? (details[0] as string) : '' };
  } finally {
    if (performance.now() - started > KEYCHAIN_TIMEOUT_MS) slow.count += 1;
  }
}

async function run(): Promise<BenchResult[]> {
  if (!canUnlockKeyring()) {
    process.stdout.write('  skipped: no keyring this drill can unlock (run it through `npm run drill`, which starts one)\n');
    return [];
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-keychain-'));
  const dataDir = path.join(dir, 'data');
  const receiver = await startHttpsReceiver('webhook');
  const keyStore = createKeytarKeyStore({ service: `Kotozute-drill-keychain-${process.pid}`, timeoutMs: KEYCHAIN_TIMEOUT_MS });
  const roster = await makeRoster({
    desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test' }],
    people: [{ id: 'sl-001', roles: ['shift-lead'], secret: 'blue kettle under the stairs' }],
  });
  const identity = fixtureIdentity(roster, 'desk-01');
  identity.signIn({ person: roster.roster.people[0]!, key: await roster.personKey('sl-001'), since: new Date() });
  const open = () =>
    createDesk({ dataDir, assetsDir: path.join(repoRoot, 'assets'), keyStore, log: nullLogger, floorIdentity: identity, handOffCa: loopbackCa().ca });

  const accepted = new Set<string>();
  const recovery: number[] = [];
  const seen = new Map<string, number>();
  const slow = { count: 0 };
  let wrongReason = 0;
  let changedFiles = 0;
  let lost = 0;
  let halfOpen = 0;
  const note = (what: string, o: Outcome, expectRefusal: boolean) => {
    const key = `${what}: ${o.ok ? 'ok' : `${o.code} [${o.reason}]`}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    // A refusal must be the keychain's 'locked' reason (what the page turns into words); a case
    // that should work must work.
    if (expectRefusal ? o.ok || o.code !== 'keychain-unavailable' || o.reason !== 'locked' : !o.ok) wrongReason += 1;
  };

  let desk: Desk = await open();
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const admin = generateAdminKeyPair();
    const client = { ...generateClient(1), id: CLIENT, dids: [DID], handOff: { channels: [receiver.channel], urgentAlso: [], minimalChat: false } };
    const directory = { format: 'kotozute-directory', version: 1, publishedAt: '2026-11-01T00:00:00+09:00', publisher: 'ドリル電話代行', clients: [client] };
    await desk.handlers.importProvisioning({ profile: provisioningProfile(admin, { directory }) });
    const ref = receiver.channel.kind === 'webhook' ? receiver.channel.signingSecret : '';
    await desk.handlers.setHandOffSecret({ ref, value: receiver.secret });

    /** A call answered, its note typed and autosaved; the note's id and call id. */
    const answer = async (d: Desk) => {
      const pop = await d.handlers.popIncomingCall({ callId: randomUUID(), did: DID, caller: { name: 'ヤマダ', number: '09012345678' } });
      const view = await d.handlers.openNote({ callId: pop.callId });
      return { id: view.summary.id, callId: pop.callId };
    };
    const take = async (d: Desk, n: number) => {
      const { id } = await answer(d);
      await d.handlers.saveNote({ noteId: id, fields: { name: '山田太郎', callback: '090-1234-5678', memo: `伝言 ${n}: ${MEMO}` } });
      await d.handlers.handOffNote({ noteId: id });
      accepted.add(id);
      return id;
    };
    const delivered = () => new Set(receiver.received.map((r) => r.idempotencyKey));
    const allDelivered = async (deadline: number) => {
      while (performance.now() < deadline) {
        const keys = delivered();
        if ([...accepted].every((id) => keys.has(idempotencyKeyFor(id, receiver.channel.id)))) return true;
        await sleep(5);
      }
      return false;
    };

    let n = 0;
    for (let t = 0; t < TRIALS; t++) {
      await take(desk, n++);
      const typing = await answer(desk);
      let seq = 0;
      let acked = 0;
      const earlier = typing.callId;

      await lockKeyring();
      // Mid-shift, locked: autosave, hand-offs, earlier notes, a clearance attempt, more typing.
      for (let i = 0; i < 5; i++) {
        seq += 1;
        const o = await outcome(slow, () => desk.handlers.saveNote({ noteId: typing.id, fields: { memo: `seq-${seq} ${MEMO}` } }));
        if (o.ok) acked = seq;
        note('autosave while locked', o, false);
      }
      for (let i = 0; i < 3; i++) {
        const o = await outcome(slow, () => take(desk, n++));
        note('hand-off while locked', o, false);
      }
      note('opening an earlier note while locked', await outcome(slow, () => desk.handlers.openNote({ callId: earlier })), false);
      note('listing notes while locked', await outcome(slow, () => desk.handlers.listNotes(undefined)), false);
      note('clearance plan while locked', await outcome(slow, () => desk.handlers.planClearance(undefined)), true);
      note('clearance while locked', await outcome(slow, () => desk.handlers.clearDesk({ settlements: [], confirm: 'desk-01' })), true);
      // After the refused clearance the desk must still be whole: typing goes on.
      seq += 1;
      const after = await outcome(slow, () => desk.handlers.saveNote({ noteId: typing.id, fields: { memo: `seq-${seq} ${MEMO}` } }));
      if (after.ok) acked = seq;
      else halfOpen += 1;
      note('autosave after the refused clearance', after, false);

      // The desk restarts while the keyring is still locked: it must refuse notes and touch nothing.
      await desk.close();
      const before = snapshot(dataDir);
      const locked = await open();
      const state = await locked.handlers.getDeskState(undefined);
      const refused: Outcome = state.keychain.ok ? { ok: true } : { ok: false, code: 'keychain-unavailable', reason: state.keychain.reason };
      note('desk started while locked (its keychain state)', refused, true);
      note('notes on a desk started while locked', await outcome(slow, () => locked.handlers.listNotes(undefined)), true);
      await locked.close();
      if (snapshot(dataDir) !== before) changedFiles += 1;

      await unlockKeyring();
      const unlockedAt = performance.now();
      desk = await open();
      const ok = await allDelivered(unlockedAt + DELIVERY_DEADLINE_MS);
      recovery.push(performance.now() - unlockedAt);
      if (!ok) process.stderr.write(`  trial ${t}: not every accepted message delivered ${DELIVERY_DEADLINE_MS} ms after the unlock\n`);

      // The note typed through the lock is there as last acknowledged; then it is handed off too.
      const back = await desk.handlers.openNote({ callId: typing.callId });
      const stored = Number(/^seq-(\d+)/.exec(back.fields.memo ?? '')?.[1] ?? -1);
      if (stored < acked) lost += 1;
      await desk.handlers.saveNote({ noteId: typing.id, fields: { name: '山田太郎', callback: '090-1234-5678', memo: `${back.fields.memo ?? ''}` } });
      await desk.handlers.handOffNote({ noteId: typing.id });
      accepted.add(typing.id);
    }
    await allDelivered(performance.now() + DELIVERY_DEADLINE_MS);
    const keys = delivered();
    lost += [...accepted].filter((id) => !keys.has(idempotencyKeyFor(id, receiver.channel.id))).length;
    const state = await desk.handlers.getDeskState(undefined);
    lost += state.warnings.filter((w) => w.code === 'note-quarantined').length;
    const plain = plainTextHits(dataDir, [receiver.secret, MEMO, '山田太郎']);
    if (plain.length) process.stderr.write(`  plain text found: ${plain.join(', ')}\n`);

    // What the operator saw: the 'locked' reason, in words, in both languages.
    const words = [ja.keychain.locked, en.keychain.locked, ja.errors.keychain.locked, en.errors.keychain.locked];
    const missingWords = words.filter((w) => typeof w !== 'string' || w.length === 0).length;
    process.stdout.write(`  what the desk answered, by case:\n${[...seen].map(([k, v]) => `    ${k} ×${v}`).join('\n')}\n`);
    process.stdout.write(`  the operator reads: 「${ja.errors.keychain.locked}」 / "${en.errors.keychain.locked}"\n`);
    process.stdout.write(`  ${accepted.size} messages accepted, ${receiver.received.length} delivered\n`);
    const name = 'drill:keychain-locked';
    return [
      ...drillRows(name, { trials: TRIALS, trialsUnit: 'lock/unlock cycles', lost, duplicates: duplicatesDelivered(receiver), recoveryMs: recovery, recoveryWhat: 'unlock → desk started, every queued message delivered' }),
      { name, metric: 'cases answered other than expected (works, or refused for "locked")', value: wrongReason, unit: 'cases', target: 0 },
      { name, metric: 'desk left half-open after a refused clearance', value: halfOpen, unit: 'trials', target: 0 },
      { name, metric: 'restarts while locked that changed a file', value: changedFiles, unit: 'restarts', target: 0 },
      { name, metric: 'calls slower than the keychain timeout', value: slow.count, unit: 'calls', target: 0 },
      { name, metric: 'secrets or note text in plain text on disk', value: plain.length, unit: 'files', target: 0 },
      { name, metric: 'ja/en words for "locked" missing', value: missingWords, unit: 'keys', target: 0 },
    ];
  } finally {
    await desk.close().catch(() => undefined);
    await unlockKeyring().catch(() => undefined);
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const drill: Drill = { title: `keychain locked mid-shift, ${TRIALS} lock/unlock cycles`, run };
export default drill;

/**
 * Canary values and the byte scan that looks for them: every personal value a test types is unique
 * to the run (a random token inside it), and the scan looks for each one, in every file under the
 * given folders, in the forms a leak would take: UTF-8, UTF-16LE, JSON with \u escapes, and base64
 * / base64url of either encoding at all three byte alignments.
 *
 * Files under os.tmpdir() older than the test are skipped: the canaries carry a token drawn when
 * the test started, so a file not written since cannot hold them. (Files under the data folder are
 * always scanned whole.)
 */
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Canaries {
  /** label → the value typed */
  values: Record<string, string>;
  /** The call context of the note (caller name and number are personal data too). */
  call: { did: string; callerName: string; callerNumber: string; receivedAt: string };
  /** The message form's fields, every one a canary. */
  fields: Record<string, string>;
}

const digits = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');

export function makeCanaries(): Canaries {
  const t = randomBytes(4).toString('hex');
  const fields = {
    callerName: `山田カナリア太郎${t}`,
    callerKana: `ヤマダ・カナリア${t}`,
    company: `Canary Holdings ${t} 株式会社`,
    callbackNumber: `090-${digits(4)}-${digits(4)}`,
    subject: `Canary subject ${t} 見積もりの件`,
    // Emoji (a ZWJ sequence), a variation selector (❤️), an ideographic variation sequence (葛󠄀),
    // and a lone surrogate in the middle of the text.
    freeText: `折り返しお願いします ${t} 👨‍👩‍👧 ❤️ 葛󠄀城 \uD83D 以上 end-${t}`,
  };
  const call = {
    did: `03-${digits(4)}-${digits(4)}`,
    callerName: `Canary Caller ${t} 佐藤`,
    callerNumber: `080-${digits(4)}-${digits(4)}`,
    receivedAt: new Date().toISOString(),
  };
  const values: Record<string, string> = { ...fields, callDid: call.did, callCallerName: call.callerName, callCallerNumber: call.callerNumber };
  return { values, call, fields: { ...fields, callbackNumberConfirm: fields.callbackNumber } };
}

/** Every pattern a leak of `value` could take, with a label saying which. */
export function leakForms(value: string): { label: string; bytes: Buffer }[] {
  const forms: { label: string; bytes: Buffer }[] = [];
  const json = JSON.stringify(value).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const encodings: [string, Buffer][] = [
    ['utf8', Buffer.from(value, 'utf8')],
    ['utf16le', Buffer.from(value, 'utf16le')],
  ];
  for (const [name, bytes] of encodings) {
    forms.push({ label: name, bytes });
    for (let k = 0; k < 3; k++) {
      const aligned = bytes.subarray(k, k + Math.floor((bytes.length - k) / 3) * 3);
      forms.push({ label: `base64(${name})@${k}`, bytes: Buffer.from(aligned.toString('base64')) });
      forms.push({ label: `base64url(${name})@${k}`, bytes: Buffer.from(aligned.toString('base64url')) });
    }
  }
  forms.push({ label: 'json-escaped', bytes: Buffer.from(json) });
  return forms;
}

function* filesUnder(dir: string, since: number | null): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // vanished or not ours to read
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(full, since);
    else if (e.isFile()) {
      if (since !== null) {
        try {
          if (fs.statSync(full).mtimeMs < since) continue;
        } catch {
          continue;
        }
      }
      yield full;
    }
  }
}

export interface Hit {
  file: string;
  canary: string;
  form: string;
}

/**
 * Scans every file under `whole` (all of it) and under `recent` (files modified since `since`) for
 * every leak form of every value. Returns the hits (empty when nothing leaked) and how many files
 * were read.
 */
export function scanForCanaries(o: { values: Record<string, string>; whole: string[]; recent: string[]; since: number; extraText?: { name: string; text: string }[] }): { hits: Hit[]; files: number; bytes: number } {
  const patterns = Object.entries(o.values).flatMap(([canary, value]) => leakForms(value).map((f) => ({ canary, ...f })));
  const hits: Hit[] = [];
  let files = 0;
  let bytes = 0;
  const seen = new Set<string>();
  const check = (name: string, data: Buffer) => {
    files++;
    bytes += data.length;
    for (const p of patterns) if (data.includes(p.bytes)) hits.push({ file: name, canary: p.canary, form: p.label });
  };
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return; // removed while we looked, or a socket/fifo
    }
    check(file, data);
  };
  for (const dir of o.whole) for (const f of filesUnder(dir, null)) visit(f);
  for (const dir of o.recent) for (const f of filesUnder(dir, o.since)) visit(f);
  for (const t of o.extraText ?? []) check(t.name, Buffer.from(t.text, 'utf8'));
  return { hits, files, bytes };
}

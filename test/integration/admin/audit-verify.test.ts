/**
 * `kotozute-admin audit verify FILE` end to end: the real bin on an audit trail the desk's own
 * audit log wrote, then on the same file with one line altered, and with bad usage.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../../electron/main/services/audit/audit-log.js';

const BIN = resolve(import.meta.dirname, '../../../bin/kotozute-admin.mjs');
const run = promisify(execFile);

async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('kotozute-admin audit verify', () => {
  let dir: string;
  let file: string;
  const noteId = '3f2b8c1e-9a4d-4c6b-8e2f-1a2b3c4d5e6f';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kotozute-admin-audit-'));
    const audit = openAuditLog({ dir });
    audit.append({ type: 'created', noteId, clientId: 'aoba-clinic' });
    audit.append({ type: 'autosaved', noteId, clientId: 'aoba-clinic', count: 12 });
    audit.append({ type: 'handed-off', noteId, clientId: 'aoba-clinic', channel: 'email' });
    audit.append({ type: 'delivered', noteId, clientId: 'aoba-clinic', channel: 'email' });
    audit.append({ type: 'wiped', noteId, clientId: 'aoba-clinic', count: 12, reason: 'delivered' });
    file = audit.path;
    audit.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('confirms an intact chain with the event count and the last hash, saying its tail is unanchored', async () => {
    const r = await admin('audit', 'verify', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK \(tail unanchored\) .*: 5 events, chain intact, last hash [0-9a-f]{64}; .*keep head [0-9a-f]{16}:5:[0-9a-f]{64}\n$/);
  });

  it('checks the file against the head it printed, and names where a cut copy ends before it', async () => {
    const head = /keep head (\S+)$/.exec((await admin('audit', 'verify', file)).stdout.trim())![1]!;
    const whole = await admin('audit', 'verify', file, '--head', head);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(/^OK \(anchored at line 5\) /);
    const cut = join(dir, 'cut.jsonl');
    await writeFile(cut, (await readFile(file, 'utf8')).split('\n').slice(0, 3).map((l) => `${l}\n`).join(''));
    const short = await admin('audit', 'verify', cut, '--head', head);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/^SHORT .*: the file ends at line 3, before the head at line 5 \(2 lines missing\)\n$/);
  });

  it('refuses an empty file: nothing to verify is not OK', async () => {
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '');
    const r = await admin('audit', 'verify', empty);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^empty: nothing to verify/);
  });

  it('names the first altered line and exits 1', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('"email"', '"slack"');
    const tampered = join(dir, 'tampered.jsonl');
    await writeFile(tampered, lines.join('\n'));
    const r = await admin('audit', 'verify', tampered);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BROKEN .*line 3: its hash does not match its content/);
  });

  it('exits 1 for a file it cannot read and 2 for bad usage', async () => {
    expect((await admin('audit', 'verify', join(dir, 'missing.jsonl'))).code).toBe(1);
    expect((await admin('audit', 'verify')).code).toBe(2);
    const unknown = await admin('audit', 'rewrite', file);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/expected "audit verify FILE"/);
  });
});

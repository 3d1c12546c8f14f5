import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAuditVerify } from '../../../../../../electron/admin/audit-command.js';
import { openAuditLog } from '../../../../../../electron/main/services/audit/audit-log.js';

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

describe('kotozute-admin audit verify', () => {
  it('exits 0 with the event count and the last hash for an intact chain', async () => {
    const file = writeTrail();
    expect(await runAuditVerify([file], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^OK .*: 2 events, chain intact, last hash [0-9a-f]{64}$/);
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
});

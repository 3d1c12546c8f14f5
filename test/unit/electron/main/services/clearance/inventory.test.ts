import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_KINDS, KEYCHAIN_KINDS, kindOf, unlistedPaths } from '../../../../../../electron/main/services/clearance/inventory.js';

const docs = fs.readFileSync(new URL('../../../../../../docs/clearance.md', import.meta.url), 'utf8');
let dir: string | undefined;
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

describe('the inventory of a desk’s data directory', () => {
  it('is the list docs/clearance.md gives: every kind and keychain account named there', () => {
    for (const k of DATA_KINDS) expect(docs, k.id).toContain(`\`${k.id}\``);
    for (const k of KEYCHAIN_KINDS) expect(docs, k.account).toContain(`\`${k.account}\``);
  });

  it('tells note files, stores and records apart, and names a file nobody listed', () => {
    expect(kindOf('vault/notes/11111111-1111-4111-8111-111111111111.note')?.fate).toBe('cleared');
    expect(kindOf('desk.json')?.fate).toBe('kept');
    expect(kindOf('records/record-000001.json')?.id).toBe('deletion-record');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-inventory-'));
    fs.mkdirSync(path.join(dir, 'vault', 'notes'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vault', 'notes', 'notes-export.txt'), 'x');
    fs.writeFileSync(path.join(dir, 'settings.json'), '{}');
    expect(unlistedPaths(dir)).toEqual(['vault/notes/notes-export.txt']);
  });
});

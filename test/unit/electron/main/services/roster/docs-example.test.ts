import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateAdminKeyPair } from '../../../../../../electron/main/services/directory/admin-key.js';
import { unwrapPersonKey } from '../../../../../../electron/main/services/roster/person-key.js';
import { openRoster, signRoster } from '../../../../../../electron/main/services/roster/roster-bundle.js';

describe('docs/roster.md', () => {
  it('shows an example roster that signs, opens, and whose documented secrets sign both people in', async () => {
    const doc = await readFile(new URL('../../../../../../docs/roster.md', import.meta.url), 'utf8');
    const example = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((b) => b.includes('"kotozute-roster"'));
    expect(example).toBeDefined();
    const key = generateAdminKeyPair();
    const roster = openRoster(signRoster(example as string, key.privateKeyPem), key.publicKeyPem);
    expect(roster.desks.map((d) => d.id)).toEqual(['desk-01', 'desk-02']);
    const [operator, supervisor] = roster.people;
    expect(await unwrapPersonKey(operator!, '246810', roster.policy.kdf)).not.toBeNull();
    expect(await unwrapPersonKey(supervisor!, 'blue kettle under the stairs', roster.policy.kdf)).not.toBeNull();
    expect(await unwrapPersonKey(operator!, '246811', roster.policy.kdf)).toBeNull();
  });
});

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateAdminKeyPair, openBundle, signDirectory } from '../../../../../../electron/main/services/directory/bundle.js';

describe('docs/directory.md', () => {
  it('shows a complete example client that signs and opens as a valid directory', async () => {
    const doc = await readFile(new URL('../../../../../../docs/directory.md', import.meta.url), 'utf8');
    const example = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((b) => b.includes('"kotozute-directory"'));
    expect(example).toBeDefined();
    const key = generateAdminKeyPair();
    const { directory } = openBundle(signDirectory(example as string, key.privateKeyPem), key.publicKeyPem, { full: true });
    expect(directory.clients.map((c) => c.id)).toEqual(['sato-law']);
  });
});

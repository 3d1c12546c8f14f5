/**
 * The bundled training directory as the tests expect to see it: read from the source JSON the
 * sample bundle is signed from, so the assertions follow the sample when it is edited.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Directory, type Client, type Staff } from '../../../shared/directory/schema.js';
import { REPO } from './paths.js';

export function sampleDirectory(): Directory {
  const text = readFileSync(path.join(REPO, 'assets', 'training', 'sample-directory.json'), 'utf8');
  return Directory.parse(JSON.parse(text));
}

export function sampleClient(id: string): Client {
  const client = sampleDirectory().clients.find((c) => c.id === id);
  if (!client) throw new Error(`the sample directory has no client "${id}"`);
  return client;
}

/** What the staff board should say for a person: their own phrase, else the client's for the status. */
export function publicPhraseOf(client: Client, staff: Staff): string {
  return staff.publicPhrase ?? client.statusPhrases[staff.status] ?? '';
}

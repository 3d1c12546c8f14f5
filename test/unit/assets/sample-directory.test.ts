/**
 * The bundled training directory: signed with the demo key, in step with its JSON source, and rich
 * enough for a new operator to rehearse every kind of client.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openBundle } from '../../../electron/main/services/directory/bundle.js';
import { normaliseDid } from '../../../shared/directory/did.js';
import { Directory } from '../../../shared/directory/schema.js';

const training = (name: string) => fileURLToPath(new URL(`../../../assets/training/${name}`, import.meta.url));

const sourceJson: unknown = JSON.parse(readFileSync(training('sample-directory.json'), 'utf8'));
const bundle = readFileSync(training('sample-directory.kzdir'));
const demoPublicKey = readFileSync(training('demo-admin.pub'), 'utf8');
const sample = Directory.parse(sourceJson);

describe('the training sample directory', () => {
  it('opens with the demo admin public key, as training mode opens it', () => {
    const { index } = openBundle(bundle, demoPublicKey);
    expect(index.size).toBe(sample.clients.length);
    expect(index.summaries.map((c) => c.id)).toEqual(sample.clients.map((c) => c.id));
  });

  it('carries the content of sample-directory.json, so an edit without re-signing fails here', () => {
    // Header line, table line, then the payload: the directory re-serialised, client by client.
    const payload = bundle.subarray(bundle.indexOf('\n', bundle.indexOf('\n') + 1) + 1);
    // Run `npm run sample:sign` after editing assets/training/sample-directory.json.
    expect(JSON.parse(payload.toString('utf8'))).toEqual(sourceJson);
    expect(openBundle(bundle, demoPublicKey, { full: true }).directory).toEqual(sample);
  });

  it('has at least six clients, including one whose calls are taken in English', () => {
    expect(sample.clients.length).toBeGreaterThanOrEqual(6);
    expect(sample.clients.filter((c) => c.language === 'en').length).toBeGreaterThanOrEqual(1);
    expect(sample.clients.filter((c) => c.sensitive).length).toBeGreaterThanOrEqual(1);
  });

  it.each(sample.clients.map((c) => [c.id, c] as const))(
    '%s has a script, 8+ allowed answers, never-disclose items, 3+ staff and a message form',
    (_id, client) => {
      expect(client.script.length).toBeGreaterThanOrEqual(1);
      expect(client.answers.length).toBeGreaterThanOrEqual(8);
      expect(client.neverDisclose.length).toBeGreaterThanOrEqual(1);
      expect(client.staff.length).toBeGreaterThanOrEqual(3);
      expect(client.messageForm.fields.length).toBeGreaterThanOrEqual(1);
      // Operators search in either language, so every answer needs keywords in both.
      for (const answer of client.answers) {
        expect(answer.keywords.ja.length, answer.id).toBeGreaterThan(0);
        expect(answer.keywords.en.length, answer.id).toBeGreaterThan(0);
      }
    },
  );

  it('gives every dialled number to one client only, however it is written', () => {
    const owner = new Map<string, string>();
    for (const client of sample.clients) {
      for (const did of client.dids) {
        const e164 = normaliseDid(did);
        expect(e164, `${client.id} ${did}`).not.toBeNull();
        expect(owner.get(e164 ?? ''), `${did} of ${client.id}`).toBeUndefined();
        owner.set(e164 ?? '', client.id);
      }
    }
  });

  it('points every address, transfer target and webhook at a reserved example domain', () => {
    for (const client of sample.clients) {
      for (const staff of client.staff) {
        if (staff.transferTarget) expect(staff.transferTarget).toMatch(/@[a-z0-9.-]+\.invalid$/);
      }
      for (const channel of client.handOff.channels) {
        if (channel.kind === 'email') {
          for (const to of [...channel.to, ...channel.cc]) expect(to).toMatch(/\.(example|invalid)$/);
        }
        if (channel.kind === 'webhook') expect(new URL(channel.url).hostname).toMatch(/\.invalid$/);
      }
    }
  });
});

/**
 * The hostile fixture must stay valid (or the desk would refuse it before rendering anything) and
 * must keep an attack in every free-text field (or a new field would go untested).
 */
import { describe, expect, it } from 'vitest';
import { Directory } from '../../../shared/directory/schema.js';
import { HOSTILE_MARKER, HOSTILE_STRINGS, hostileDirectory } from '../../support/hostile-directory.js';

/** Keys whose values are structure, not text an operator reads. */
const STRUCTURAL = new Set([
  'format', 'publishedAt', 'id', 'language', 'dids', 'timezone', 'day', 'open', 'close', 'closedDates',
  'hours', 'from', 'to', 'status', 'transferTarget', 'kind', 'cc', 'smtpSecret', 'url', 'signingSecret',
  'webhookSecret', 'tokenSecret', 'roomId', 'botId', 'channelId', 'staffId', 'urgentAlso',
]);

function textLeaves(value: unknown, path: string, out: [string, string][]): void {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => textLeaves(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // "to" is both a greeting window bound and an email list; neither is free text.
      if (!STRUCTURAL.has(k)) textLeaves(v, `${path}.${k}`, out);
    }
  }
}

describe('the hostile directory fixture', () => {
  it('is a valid directory, so the desk gets as far as rendering it', () => {
    expect(Directory.safeParse(hostileDirectory()).success).toBe(true);
  });

  it('puts an attack into every free-text field', () => {
    const leaves: [string, string][] = [];
    textLeaves(Directory.parse(hostileDirectory()), '$', leaves);
    expect(leaves.length).toBeGreaterThan(100);
    for (const [path, text] of leaves) {
      expect(HOSTILE_STRINGS.some((h) => text.includes(h)), path).toBe(true);
    }
  });

  it('shows the marker in each client name, where the pop displays it', () => {
    for (const client of hostileDirectory().clients) expect(client.name).toContain(HOSTILE_MARKER);
  });
});

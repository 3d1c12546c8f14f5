/**
 * A client's hand-off configuration is checked when the directory is loaded: a channel that points
 * nowhere is an admin's mistake to be named then, not a message stuck in the outbox later.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client, Directory, fallbackChannel, type ClientInput } from '../../../../shared/directory/schema.js';
import { describeIssues } from '../../../../shared/ipc/errors.js';

const sample = Directory.parse(
  JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../../assets/training/sample-directory.json'), 'utf8')),
);

function aClient(): ClientInput {
  return structuredClone(sample.clients[0]!) as ClientInput;
}

function problems(input: ClientInput): string[] {
  const parsed = Client.safeParse(input);
  return parsed.success ? [] : describeIssues(parsed.error.issues);
}

describe('hand-off configuration', () => {
  it('accepts every client of the sample directory', () => {
    for (const client of sample.clients) expect(problems(client as ClientInput), client.id).toEqual([]);
  });

  it('names an urgent-only channel id that no channel has', () => {
    const client = aClient();
    client.handOff.urgentAlso = ['pager'];
    expect(problems(client)).toEqual(['handOff.urgentAlso.0: no hand-off channel has id "pager"']);
  });

  it('names a channel id used twice', () => {
    const client = aClient();
    const first = client.handOff.channels[0]!;
    client.handOff.channels = [first, { ...first }];
    expect(problems(client)).toContain('handOff.channels.1.id: channel id "' + first.id + '" is used twice');
  });

  it('names a transfer channel whose staff member does not exist or cannot be dialled', () => {
    const client = aClient();
    client.handOff.channels.push({ kind: 'transfer', id: 'to-nobody', staffId: 'nobody' });
    expect(problems(client)).toContain(`handOff.channels.${client.handOff.channels.length - 1}.staffId: no staff member has id "nobody"`);

    const undiallable = aClient();
    const staff = undiallable.staff[0]!;
    delete staff.transferTarget;
    undiallable.handOff.channels.push({ kind: 'transfer', id: 'to-staff', staffId: staff.id });
    expect(problems(undiallable)).toContain(
      `handOff.channels.${undiallable.handOff.channels.length - 1}.staffId: staff member "${staff.id}" has no transfer target`,
    );
  });
});

describe('the fallback channel (handOff.fallback)', () => {
  it('the sample gives one client a fallback among its channels and one a channel of its own', () => {
    const withFallback = sample.clients.filter((c) => c.handOff.fallback !== undefined);
    expect(withFallback.some((c) => typeof c.handOff.fallback === 'string')).toBe(true);
    expect(withFallback.some((c) => typeof c.handOff.fallback === 'object')).toBe(true);
    for (const c of withFallback) expect(fallbackChannel(c.handOff), c.id).toBeDefined();
  });

  it('names a fallback id that no channel has', () => {
    const client = aClient();
    client.handOff.fallback = 'pager';
    expect(problems(client)).toEqual(['handOff.fallback: no hand-off channel has id "pager"']);
  });

  it('refuses a call transfer as the fallback, named or given in full', () => {
    const client = aClient();
    client.handOff.channels.push({ kind: 'transfer', id: 'desk-phone' });
    client.handOff.fallback = 'desk-phone';
    expect(problems(client)).toEqual(['handOff.fallback: a call transfer cannot be a fallback channel']);
    client.handOff.fallback = { kind: 'transfer', id: 'other-phone' };
    expect(problems(client)).toEqual(['handOff.fallback.kind: a call transfer cannot be a fallback channel']);
  });

  it('names a fallback channel of its own whose id one of the channels already has', () => {
    const client = aClient();
    const first = client.handOff.channels[0]!;
    client.handOff.fallback = { ...first };
    expect(problems(client)).toEqual([`handOff.fallback.id: channel id "${first.id}" is used twice`]);
  });

  it('checks a fallback channel of its own like any channel (an http:// webhook is refused)', () => {
    const client = aClient();
    client.handOff.fallback = { kind: 'webhook', id: 'backup', url: 'http://hooks.example.invalid/x', signingSecret: 'backup.webhook' };
    expect(problems(client).join('\n')).toMatch(/https/);
  });
});

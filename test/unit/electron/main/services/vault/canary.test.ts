import fs from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { wellFormed } from '../../../../../../electron/main/services/vault/note-input.js';
import { leakForms, makeCanaries, scanForCanaries } from './canary.js';
import { openDesk, type Desk } from './desk-fixture.js';

let desk: Desk;
afterEach(() => desk?.dispose());

describe('canary scan of the vault', () => {
  it('finds its own canaries when they are written in the clear (the scan works)', () => {
    desk = openDesk();
    const c = makeCanaries();
    const plain = `${desk.root}/leak.bin`;
    fs.writeFileSync(plain, Buffer.concat([Buffer.from('xx'), Buffer.from(c.fields.callerName as string, 'utf16le')]));
    fs.writeFileSync(`${desk.root}/leak64.txt`, Buffer.from(`y${c.fields.subject}`, 'utf8').toString('base64'));
    const { hits } = scanForCanaries({ values: c.values, whole: [desk.root], recent: [], since: Date.now() });
    expect(hits.map((h) => h.canary).sort()).toEqual(['callerName', 'subject']);
    expect(leakForms('abc').length).toBeGreaterThan(10);
  });

  it('leaves no canary under the data folder, the temp folder or in the logs — while typing, at hand-off and after the wipe', () => {
    const since = Date.now() - 1000;
    desk = openDesk();
    const c = makeCanaries();
    // What the vault stores for the free text: its lone surrogate replaced by U+FFFD.
    const values = { ...c.values, freeTextStored: wellFormed(c.values.freeText as string) };
    const scan = (when: string) => {
      const result = scanForCanaries({
        values,
        whole: [desk.root],
        recent: [os.tmpdir()],
        since,
        extraText: [{ name: 'log', text: desk.logLines.join('\n') }],
      });
      expect(result.hits, `${when}: ${JSON.stringify(result.hits)}`).toEqual([]);
      return result;
    };

    const meta = desk.vault.create({ callId: 'canary-call-1', clientId: 'sato-law', training: false, call: c.call });
    // Autosave as the operator types: each field grows a character at a time, for a few saves.
    const typed: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.fields)) {
      typed[k] = v.slice(0, Math.ceil(v.length / 2));
      desk.vault.save(meta.id, typed);
      typed[k] = v;
      desk.vault.save(meta.id, typed);
    }
    expect(desk.vault.read(meta.id).content.fields.callerName).toBe(c.fields.callerName);
    const first = scan('after autosave');
    expect(first.files).toBeGreaterThanOrEqual(3);

    desk.restart();
    desk.vault.setState(meta.id, 'handing-off');
    scan('at hand-off');
    desk.vault.setState(meta.id, 'delivered');
    desk.vault.wipe(meta.id, 'delivered');
    scan('after the wipe');
    expect(desk.audit.read().map((e) => e.type)).toEqual(['created', 'autosaved', 'wiped']);
    // Real disk walks (the data folder and everything recent in the temp folder, three times): on a
    // busy CI machine with a full temp folder they take longer than the default 5 s.
  }, 30_000);
});

/**
 * patches/sip.js+0.21.2.patch: sip.js's generated PEG parser rebuilt its whole grammar bytecode on
 * every header it parsed (~3.5 ms of every incoming INVITE). The patch decodes it once. These prove
 * the patch is applied to the installed package and that parsing through the shared bytecode gives
 * the same answers, call after call, across rules.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Grammar, NameAddrHeader } from 'sip.js';
import { describe, expect, it } from 'vitest';

describe('the sip.js grammar patch', () => {
  it('is applied to the installed sip.js', () => {
    const pkg = createRequire(import.meta.url).resolve('sip.js/package.json');
    const grammar = readFileSync(path.join(path.dirname(pkg), 'lib/grammar/pegjs/dist/grammar.js'), 'utf8');
    expect(grammar).toContain('peg$bytecodeOnce || (peg$bytecodeOnce = [');
  });

  it('parses the same header the same way every time, between other rules', () => {
    const first = Grammar.nameAddrHeaderParse('"山田 太郎" <sip:0312345678@example.test>;tag=abc');
    for (let i = 0; i < 50; i++) {
      expect(Grammar.parse('SIP/2.0/WSS example.test;branch=z9hG4bK1', 'Via')).not.toBe(-1);
      const again = Grammar.nameAddrHeaderParse('"山田 太郎" <sip:0312345678@example.test>;tag=abc');
      expect(again).toBeInstanceOf(NameAddrHeader);
      expect(again?.displayName).toBe(first?.displayName);
      expect(again?.uri.user).toBe('0312345678');
      expect(again?.getParam('tag')).toBe('abc');
    }
    expect(Grammar.parse('not a uri at all', 'SIP_URI')).toBe(-1);
  });
});

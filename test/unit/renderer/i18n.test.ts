import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/src/i18n/en.js';
import { ja } from '../../../renderer/src/i18n/ja.js';

type Tree = { [key: string]: string | Tree };

/** "a.b.c" → value, for every leaf. */
function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null) for (const [k, v] of leaves(value, path)) out.set(k, v);
    else out.set(path, value);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const languages = { ja: leaves(ja), en: leaves(en) };

describe('UI strings', () => {
  it('have exactly the same keys in Japanese and English', () => {
    const jaKeys = [...languages.ja.keys()].sort();
    const enKeys = [...languages.en.keys()].sort();
    expect(enKeys.filter((k) => !languages.ja.has(k)), 'keys only in en').toEqual([]);
    expect(jaKeys.filter((k) => !languages.en.has(k)), 'keys only in ja').toEqual([]);
    expect(jaKeys.length).toBeGreaterThan(50);
  });

  it.each(Object.entries(languages))('has a non-empty string for every key in %s', (_lang, map) => {
    const bad = [...map].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
    expect(bad).toEqual([]);
  });

  it('uses the same interpolation placeholders in both languages', () => {
    const differing = [...languages.ja].filter(
      ([key, value]) => placeholders(String(value)).join() !== placeholders(String(languages.en.get(key))).join(),
    );
    expect(differing.map(([k]) => k)).toEqual([]);
  });
});

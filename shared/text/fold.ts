/**
 * Folding for search: what an operator types should find an answer however either side was written.
 * NFKC turns half-width katakana and full-width ASCII into their ordinary forms; katakana is then
 * folded to hiragana so 「ヘンピン」, 「へんぴん」 and 「ﾍﾝﾋﾟﾝ」 are the same query.
 */

const KATAKANA_START = 0x30a1; // ァ
const KATAKANA_END = 0x30f6; // ヶ
const KANA_OFFSET = 0x60;

export function foldForSearch(text: string): string {
  const nfkc = text.normalize('NFKC').toLowerCase();
  let out = '';
  for (const ch of nfkc) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= KATAKANA_START && cp <= KATAKANA_END) out += String.fromCodePoint(cp - KANA_OFFSET);
    else if (/\s/u.test(ch)) out += ' ';
    else out += ch;
  }
  return out.replace(/ +/g, ' ').trim();
}

/** Splits a folded query into the terms that must all match. */
export function queryTerms(query: string): string[] {
  const folded = foldForSearch(query);
  return folded === '' ? [] : folded.split(' ');
}

/**
 * Japanese phone numbers as an operator takes them down for a callback (折り返し先). Accepts what
 * people actually say and type — full-width digits, hyphens, spaces, brackets, +81 — and checks
 * the digit count per number type (総務省の番号計画):
 *
 * - fixed lines 0X…: 10 digits (03-1234-5678, 06-…, 011-…, 0465-…)
 * - mobile 090 / 080 / 070: 11 digits
 * - IP phones 050: 11 digits
 * - free dial 0120 (10 digits) and 0800 (11 digits); navi dial 0570 (10 digits)
 * - +81 … : the same number without its leading 0
 */

export type PhoneProblem = 'empty' | 'characters' | 'international' | 'length';

export type PhoneCheck = { ok: true; digits: string } | { ok: false; problem: PhoneProblem };

/** The number reduced to its domestic digits, or null when something other than digits and separators is in it. */
export function phoneDigits(raw: string): string | null {
  const text = raw.normalize('NFKC').trim();
  // Separators people write: hyphens and dashes of every width, spaces, dots, brackets.
  const stripped = text.replace(/[\s\-‐‑‒–—―−ー.()（）]/g, '');
  if (!/^\+?\d+$/.test(stripped)) return null;
  if (stripped.startsWith('+81')) return `0${stripped.slice(3).replace(/^0/, '')}`;
  if (stripped.startsWith('+')) return stripped;
  return stripped;
}

/** Checks a callback number. */
export function checkJapanesePhone(raw: string): PhoneCheck {
  if (raw.trim() === '') return { ok: false, problem: 'empty' };
  const digits = phoneDigits(raw);
  if (digits === null) return { ok: false, problem: 'characters' };
  if (digits.startsWith('+') || digits.startsWith('00') || !digits.startsWith('0')) return { ok: false, problem: 'international' };
  const expected = expectedLength(digits);
  return digits.length === expected ? { ok: true, digits } : { ok: false, problem: 'length' };
}

function expectedLength(digits: string): number {
  if (/^0[789]0/.test(digits)) return 11;
  if (digits.startsWith('050')) return 11;
  if (digits.startsWith('0800')) return 11;
  if (digits.startsWith('0120') || digits.startsWith('0570')) return 10;
  return 10;
}

/** Whether two entries of a number are the same number (however each was written). */
export function samePhone(a: string, b: string): boolean {
  const da = phoneDigits(a);
  return da !== null && da === phoneDigits(b);
}

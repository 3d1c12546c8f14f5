/**
 * Dialled numbers arrive in many shapes: "+81 3-1234-5678" from a carrier, "0312345678" from a PBX,
 * "０３－１２３４－５６７８" typed by an admin. All of them must find the same client.
 */

/** Japan's country code; national numbers (leading 0) are assumed to be Japanese. */
const JP = '81';

/**
 * Normalises a dialled number to E.164 ("+81312345678") when it can, or returns null when the
 * text holds no plausible number. SIP URI decorations (sip:, @host, ;params) are stripped first.
 */
export function normaliseDid(raw: string): string | null {
  if (raw.length > 256) return null;
  let s = raw.normalize('NFKC').trim();
  s = s.replace(/^(sips?|tel):/i, '');
  s = s.replace(/[@;].*$/, '');
  // Visual separators and the long-vowel mark that Japanese keyboards type for a hyphen.
  s = s.replace(/[\s\-().ー−‐‑–—]/g, '');
  if (!/^\+?[0-9]+$/.test(s)) return null;
  if (s.startsWith('+')) {
    const digits = s.slice(1);
    return digits.length >= 7 && digits.length <= 15 ? `+${digits}` : null;
  }
  if (s.startsWith('010')) return normaliseDid(`+${s.slice(3)}`); // Japan's international prefix
  if (s.startsWith('00')) return normaliseDid(`+${s.slice(2)}`);
  if (s.startsWith('0')) {
    const national = s.slice(1);
    return national.length >= 8 && national.length <= 10 ? `+${JP}${national}` : null;
  }
  // Bare digits: a PBX that strips the "+" sends the country code first.
  if (s.startsWith(JP) && s.length >= 11 && s.length <= 12) return `+${s}`;
  return s.length >= 4 && s.length <= 15 ? s : null;
}

/** Formats an E.164 Japanese number the way operators read it: 03-1234-5678. */
export function displayDid(e164: string): string {
  if (!e164.startsWith(`+${JP}`)) return e164;
  const n = `0${e164.slice(3)}`;
  if (/^0[789]0\d{8}$/.test(n)) return `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`;
  if (/^0120\d{6}$/.test(n)) return `${n.slice(0, 4)}-${n.slice(4, 7)}-${n.slice(7)}`;
  if (/^0[36]\d{8}$/.test(n)) return `${n.slice(0, 2)}-${n.slice(2, 6)}-${n.slice(6)}`;
  if (n.length === 10) return `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`;
  return n;
}

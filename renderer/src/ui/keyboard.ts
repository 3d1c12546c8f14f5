/**
 * The keyboard belongs to the operator (issue 14 §1). Two rules every key handler and every focus
 * move of the desk follows:
 *
 * - A key that belongs to an IME conversion is the IME's: the Enter that confirms a conversion, the
 *   Escape that cancels it, the arrows that pick a candidate. Chromium marks them `isComposing` (and
 *   keyCode 229, "Process"); macOS reports the confirming Enter with key `Enter`, so the key name
 *   alone never tells.
 * - The desk moves focus by itself (Answer when a call rings, the answers search once talking) only
 *   when focus is on nothing or already on a call strip: never out of a field the operator types in.
 */

interface KeyFacts {
  readonly isComposing: boolean;
  readonly keyCode: number;
}

/** True for a keydown that is part of an IME conversion (DOM or React event). */
export function isImeKey(e: KeyFacts | { readonly nativeEvent: KeyFacts }): boolean {
  const n = 'nativeEvent' in e ? e.nativeEvent : e;
  return n.isComposing || n.keyCode === 229;
}

/** Call strips mark themselves with this attribute; focus on them may move to the next call. */
export const CALL_STRIP_ATTR = 'data-call-strip';

/** True when the desk may move focus on its own: focus is on nothing, or on a call strip. */
export function focusIsFree(doc: Document = document): boolean {
  const el = doc.activeElement;
  if (!el || el === doc.body || el === doc.documentElement) return true;
  return el.closest(`[${CALL_STRIP_ATTR}]`) !== null;
}

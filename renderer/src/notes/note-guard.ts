/**
 * Side doors closed while a note is open (DESIGN.md §5: clipboard, print).
 *
 * - Print: Ctrl+P / Cmd+P is swallowed and window.print does nothing while a note is open; a print
 *   stylesheet hides the note besides (desk.css). In Electron the main process should also refuse
 *   webContents printing — that is the platform layer's, not the renderer's, to do.
 * - Copy: a copy from a note field is taken over.
 *   - In the desktop app the page does not touch the clipboard at all: the selected text goes to the
 *     main process (`copyNoteText`), which writes it marked concealed for clipboard managers (a page
 *     cannot: the "web " custom formats never reach native names such as x-kde-passwordManagerHint)
 *     and clears it 30 s later if the clipboard still holds it. The page could not clear it itself:
 *     navigator.clipboard needs clipboard permissions, which the desk's session never grants.
 *   - In the dev-web build (a development harness, not a floor desk) no main process can reach the
 *     browser's clipboard, so the page copies through the copy event's own DataTransfer (synchronous,
 *     no permission needed), unconcealed, and tries the 30 s clear through navigator.clipboard — which
 *     without a clipboard permission (none is granted) is refused, so there the text stays.
 */
import { getApi } from '../api/index.js';
import { CLIPBOARD_CLEAR_MS } from '../../../shared/ipc/notes-contract.js';

export { CLIPBOARD_CLEAR_MS };

let printBlockers = 0;
let originalPrint: (() => void) | null = null;

function onPrintKey(e: KeyboardEvent): void {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'p') {
    e.preventDefault();
    e.stopPropagation();
  }
}

/** Blocks printing until the returned function is called (nested blocks are counted). */
export function blockPrinting(): () => void {
  if (printBlockers++ === 0) {
    window.addEventListener('keydown', onPrintKey, { capture: true });
    originalPrint = window.print;
    window.print = () => undefined;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--printBlockers === 0) {
      window.removeEventListener('keydown', onPrintKey, { capture: true });
      if (originalPrint) window.print = originalPrint;
      originalPrint = null;
    }
  };
}

let clearTimer: ReturnType<typeof setTimeout> | undefined;
/** What we last put on the clipboard, and a count of copies so an older timer cannot clear a newer copy. */
let lastCopied: { text: string; n: number } | null = null;
let copies = 0;

/** The selected text of a text field. */
function selectionOf(el: HTMLInputElement | HTMLTextAreaElement): string {
  const start = el.selectionStart ?? 0;
  const end = el.selectionEnd ?? 0;
  return el.value.slice(Math.min(start, end), Math.max(start, end));
}

/**
 * The copy handler for note fields: puts the selection on the clipboard itself and schedules the
 * clearing. Attach as onCopy/onCut to each note input.
 */
export function concealedCopy(e: ClipboardEvent | { nativeEvent: ClipboardEvent; currentTarget: EventTarget }): void {
  const event = 'nativeEvent' in e ? e.nativeEvent : e;
  const target = ('currentTarget' in e ? e.currentTarget : event.target) as HTMLInputElement | HTMLTextAreaElement | null;
  if (!target || !event.clipboardData) return;
  const text = selectionOf(target);
  if (text === '') return;
  event.preventDefault();
  if (window.kotozute) {
    // The desktop app: the main process copies, conceals and clears. A failure leaves the
    // clipboard as it was (the operator's paste shows it), never the text unconcealed.
    void getApi()
      .copyNoteText({ text })
      .catch(() => undefined);
    return;
  }
  event.clipboardData.setData('text/plain', text);
  const n = ++copies;
  lastCopied = { text, n };
  if (clearTimer) clearTimeout(clearTimer);
  clearTimer = setTimeout(() => void clearIfOurs(n), CLIPBOARD_CLEAR_MS);
}

/** Clears the clipboard if it still holds the text of copy `n`. */
async function clearIfOurs(n: number): Promise<void> {
  if (!lastCopied || lastCopied.n !== n) return;
  const ours = lastCopied.text;
  lastCopied = null;
  const clipboard = navigator.clipboard as Clipboard | undefined;
  if (!clipboard) return;
  try {
    const now = await clipboard.readText();
    if (now !== ours) return;
  } catch {
    // Reading needs a permission the desk does not grant; with no later copy from the desk, the
    // clipboard most likely still holds the note text, and a note's text must not linger there.
  }
  try {
    await clipboard.writeText('');
  } catch {
    // Without focus the write is refused; the next copy from the desk replaces it anyway.
  }
}

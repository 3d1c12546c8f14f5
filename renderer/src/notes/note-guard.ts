/**
 * Side doors closed while a note is open (DESIGN.md §5: clipboard, print).
 *
 * - Print: Ctrl+P / Cmd+P is swallowed and window.print does nothing while a note is open; a print
 *   stylesheet hides the note besides (desk.css). In Electron the main process should also refuse
 *   webContents printing — that is the platform layer's, not the renderer's, to do.
 * - Copy: a copy from a note field is taken over: the selected text goes to the clipboard through
 *   the copy event's own DataTransfer (synchronous, works without clipboard permissions), and 30 s
 *   later the clipboard is cleared if it still holds that text. A page cannot mark clipboard data
 *   concealed for the OS (the "web " custom formats never reach native format names such as
 *   x-kde-passwordManagerHint or ExcludeClipboardContentFromMonitorProcessing); in Electron that
 *   needs the main process's clipboard API.
 */

export const CLIPBOARD_CLEAR_MS = 30_000;

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

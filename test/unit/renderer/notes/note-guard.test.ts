/**
 * A copy from a note field: in the desktop app the page hands the text to the main process and puts
 * nothing on the clipboard itself; in the dev-web build it copies through the copy event.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

function copyEvent(value: string, start: number, end: number) {
  const setData = vi.fn();
  const preventDefault = vi.fn();
  return {
    event: { nativeEvent: { preventDefault, clipboardData: { setData } } as unknown as ClipboardEvent, currentTarget: { value, selectionStart: start, selectionEnd: end } as unknown as EventTarget },
    setData,
    preventDefault,
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('concealedCopy', () => {
  it('in the desktop app hands the selection to the main process and writes nothing to the page clipboard', async () => {
    const copyNoteText = vi.fn(() => Promise.resolve({ clearsInMs: 30_000 }));
    vi.stubGlobal('window', { kotozute: { copyNoteText } });
    const { concealedCopy } = await import('../../../../renderer/src/notes/note-guard.js');
    const c = copyEvent('伝言: 090-1234-5678 まで', 4, 17);
    concealedCopy(c.event);
    expect(c.preventDefault).toHaveBeenCalled();
    expect(c.setData).not.toHaveBeenCalled();
    expect(copyNoteText).toHaveBeenCalledWith({ text: '090-1234-5678' });
  });

  it('in the dev-web build copies through the copy event itself (no main process can reach the browser clipboard)', async () => {
    vi.stubGlobal('window', {});
    const { concealedCopy } = await import('../../../../renderer/src/notes/note-guard.js');
    const c = copyEvent('コピーする用件', 0, 7);
    concealedCopy(c.event);
    expect(c.setData).toHaveBeenCalledWith('text/plain', 'コピーする用件');
  });
});

/**
 * The system clipboard for the desk services (the ClipboardPort of services/clipboard): Electron 45's
 * asynchronous clipboard, written as one atomic entry that carries the text and the platform's
 * "do not keep this" marker, so clipboard managers and history skip note text:
 *
 * - Linux (KDE Klipper and others honouring it): `x-kde-passwordManagerHint` = `secret`.
 * - Windows: `ExcludeClipboardContentFromMonitorProcessing` (its presence is the marker), and
 *   `CanIncludeInClipboardHistory` / `CanUploadToCloudClipboard` = DWORD 0 (Win+V history, cloud sync).
 * - macOS: `org.nspasteboard.ConcealedType` (nspasteboard.org convention).
 *
 * Raw OS formats go through Electron's `electron application/osclipboard;format="…"` custom format.
 */
import { clipboard, ClipboardItem } from 'electron';
import type { ClipboardPort } from '../services/clipboard/clipboard-guard.js';

/** The MIME type Electron uses for a raw platform clipboard format. */
export function osFormat(name: string): string {
  return `electron application/osclipboard;format="${name}"`;
}

const DWORD_ZERO = (): Blob => new Blob([new Uint8Array(4)]);

/** The concealment markers written beside the text on each platform. */
export function concealedFormats(platform: NodeJS.Platform): Record<string, string | Blob> {
  switch (platform) {
    case 'linux':
      return { [osFormat('x-kde-passwordManagerHint')]: 'secret' };
    case 'win32':
      return {
        [osFormat('ExcludeClipboardContentFromMonitorProcessing')]: DWORD_ZERO(),
        [osFormat('CanIncludeInClipboardHistory')]: DWORD_ZERO(),
        [osFormat('CanUploadToCloudClipboard')]: DWORD_ZERO(),
      };
    case 'darwin':
      return { [osFormat('org.nspasteboard.ConcealedType')]: '' };
    default:
      return {};
  }
}

export function createElectronClipboard(platform: NodeJS.Platform = process.platform): ClipboardPort {
  return {
    writeConcealed: (text) => clipboard.write([new ClipboardItem({ 'text/plain': text, ...concealedFormats(platform) })]),
    readText: () => clipboard.readText(),
    clear: () => {
      clipboard.clear();
      return Promise.resolve();
    },
  };
}

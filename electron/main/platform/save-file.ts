/**
 * Saving an exported deletion record (issue 10 §3) where the shift lead chooses. The app's session
 * refuses every download (security.ts), so the page cannot save a file itself in Electron: it hands
 * the text to the main process, which asks where with the system's save dialog (Documents by
 * default) and writes the file readable by its owner only.
 */
import { dialog, type BrowserWindow } from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';

const FILTERS: Record<string, Electron.FileFilter> = {
  json: { name: 'JSON', extensions: ['json'] },
  html: { name: 'HTML', extensions: ['html'] },
};

/** Asks where to save `fileName` (offered in `defaultDir`), writes `text` there; false when the person cancels. */
export function createFileSaver(window: () => BrowserWindow | null, defaultDir: () => string): (fileName: string, text: string) => Promise<boolean> {
  return async (fileName, text) => {
    const ext = path.extname(fileName).slice(1);
    const options: Electron.SaveDialogOptions = {
      defaultPath: path.join(defaultDir(), path.basename(fileName)),
      filters: FILTERS[ext] ? [FILTERS[ext]] : [],
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    };
    const owner = window();
    const answer = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    if (answer.canceled || !answer.filePath) return false;
    await fs.writeFile(answer.filePath, text, { encoding: 'utf8', mode: 0o600 });
    return true;
  };
}

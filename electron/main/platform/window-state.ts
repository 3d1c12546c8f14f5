/**
 * Remembers where the operator left the main window. Plain settings, not secret, so they live in
 * electron-store unencrypted; a damaged file is simply reset (losing a window size is harmless).
 */
import Store from 'electron-store';
import type { Rectangle } from 'electron';
import { z } from 'zod';

const Bounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

interface Saved {
  bounds?: Rectangle;
  maximized?: boolean;
}

export interface WindowState {
  /** The last saved bounds, or undefined when none (or nothing sensible) was saved. */
  readonly bounds: Rectangle | undefined;
  readonly maximized: boolean;
  save(bounds: Rectangle, maximized: boolean): void;
}

/** Opens `window-state.json` in `dir` (an absolute path: app.getPath('userData')). */
export function openWindowState(dir: string): WindowState {
  const store = new Store<Saved>({ name: 'window-state', cwd: dir, clearInvalidConfig: true });
  const bounds = Bounds.safeParse(store.get('bounds'));
  return {
    bounds: bounds.success ? bounds.data : undefined,
    maximized: store.get('maximized') === true,
    save(next, maximized) {
      store.set({ bounds: next, maximized });
    },
  };
}

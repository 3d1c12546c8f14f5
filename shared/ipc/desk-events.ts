/**
 * The one-way channel from the main process to the page: events the desk pushes without being
 * asked (the OS went to sleep, woke up, locked the screen). The request/response API stays in
 * contract.ts; this is its sibling for things the page cannot learn by itself.
 *
 * Everything that arrives on this channel is checked against {@link DeskEvent} before any listener
 * sees it: an unknown or malformed event is dropped, so a newer main process (or a bug) can never
 * crash the page through it.
 */
import { z } from 'zod';
import type { KotozuteApi } from './contract.js';
import { FloorBoardView } from './floor-contract.js';
import { FloorClearanceView } from './floor-clearance-contract.js';

export { DESK_EVENT_CHANNEL } from './wire-names.js';

/** The operating system's power and session events (electron/main/platform/power.ts). */
export const PowerEventName = z.enum(['suspend', 'resume', 'lock-screen']);
export type PowerEventName = z.infer<typeof PowerEventName>;

export const DeskEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('power'), event: PowerEventName }),
  /** The supervisor's board changed (a state arrived, a desk went unreachable). */
  z.object({ type: z.literal('floor-board'), board: FloorBoardView }),
  /** The shift lead's floor clearance changed (a desk reported, or fell silent). */
  z.object({ type: z.literal('floor-clearance'), status: FloorClearanceView }),
  /** The desk was cleared, or needs attention, or no longer does: the page asks getClearanceNotice again. */
  z.object({ type: z.literal('clearance-notice') }),
  /** A hand-off job changed (sent, delivered, failed, re-queued): views of undelivered messages refresh. No content. */
  z.object({ type: z.literal('outbox-changed') }),
  /**
   * The desk was cleared (issue 10 §1): the page clears what it keeps itself (dev-web: its local and
   * session storage but the settings it keeps there; Electron: its session storage).
   */
  z.object({ type: z.literal('clear-page-storage') }),
]);
export type DeskEvent = z.infer<typeof DeskEvent>;

/** The event when `raw` is one the page understands, or null (dropped). Never throws. */
export function parseDeskEvent(raw: unknown): DeskEvent | null {
  const parsed = DeskEvent.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export type DeskEventListener = (event: DeskEvent) => void;

/** How the page hears the desk's events. */
export interface DeskEventSource {
  /** Calls `listener` with each valid event; returns the function that stops listening. */
  onDeskEvent(listener: DeskEventListener): () => void;
}

/** What `window.kotozute` is: the typed API plus the event channel. */
export type KotozuteWindowApi = KotozuteApi & DeskEventSource;

/**
 * Calls every listener with `event`. A listener that throws is skipped, never the others, and
 * never the code that delivered the event (the preload's IPC handler, the bridge's socket).
 */
export function deliverDeskEvent(listeners: Iterable<DeskEventListener>, event: DeskEvent): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // one broken listener must not stop the others
    }
  }
}

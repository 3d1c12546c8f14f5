/**
 * The desktop notification for a ringing call. Its title is the client's name — what the operator
 * needs to pick up with the right greeting while looking at another window. The caller's name and
 * number are deliberately NOT in it: OS notification centres keep notifications after the call, show
 * them on lock screens and to screen-sharing tools, and a caller's number is personal data the
 * desk must not leave lying around (DESIGN.md §2, "no side doors").
 */

export interface CallNotice {
  close(): void;
}

/** The title used instead of the client's name while the desk is locked (set by the idle lock). */
let concealedTitle: string | null = null;
/** Notifications shown and not yet closed, so locking can take them down. */
const open = new Set<() => void>();

/**
 * The idle lock (floor/idle-lock.tsx): while `title` is set, a ring's notification says only that
 * a call rings (that title) — no client name — and the notifications already up are closed. null
 * when the desk is unlocked again.
 */
export function concealRingNotifications(title: string | null): void {
  concealedTitle = title;
  if (title !== null) for (const close of [...open]) close();
}

/** Shows the notification if the platform allows it; returns null otherwise (never throws). */
export function notifyRinging(title: string, body: string, tag: string, onClick: () => void): CallNotice | null {
  if (concealedTitle !== null) title = concealedTitle;
  try {
    if (typeof Notification === 'undefined') return null;
    if (Notification.permission === 'default') {
      // Asked once, on the first ring; the ring itself is visible either way.
      void Notification.requestPermission().catch(() => undefined);
      return null;
    }
    if (Notification.permission !== 'granted') return null;
    const n = new Notification(title, { body, tag, silent: true, requireInteraction: false });
    const close = () => {
      // The platform may keep a closed notification (and so its handler) alive for a long time —
      // headless Chromium for ever: the handler must not hold the desk's state of that moment.
      open.delete(close);
      n.onclick = null;
      n.close();
    };
    open.add(close);
    n.onclick = () => {
      window.focus();
      onClick();
      close();
    };
    return { close };
  } catch {
    return null;
  }
}

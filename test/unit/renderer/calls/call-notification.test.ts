import { afterEach, describe, expect, it, vi } from 'vitest';
import { concealRingNotifications, notifyRinging } from '../../../../renderer/src/calls/call-notification.js';

/** The platform's Notification as far as the desk uses it; every one made is kept, as a platform may. */
class PlatformNotification {
  static permission: NotificationPermission = 'granted';
  static made: PlatformNotification[] = [];
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    PlatformNotification.made.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  PlatformNotification.made = [];
});

describe('the ringing notification', () => {
  it('while the desk is locked, says only that a call rings, and the lock closes those already up', () => {
    vi.stubGlobal('Notification', PlatformNotification);
    notifyRinging('アクメ商事', '着信中', 'call-1', () => undefined);
    concealRingNotifications('着信');
    try {
      expect(PlatformNotification.made[0]!.closed).toBe(true);
      notifyRinging('かなりあ内科', '着信中', 'call-2', () => undefined);
      expect(PlatformNotification.made[1]!.title).toBe('着信');
    } finally {
      concealRingNotifications(null);
    }
    notifyRinging('かなりあ内科', '着信中', 'call-3', () => undefined);
    expect(PlatformNotification.made[2]!.title).toBe('かなりあ内科');
  });

  it('names the client only, and lets go of its click handler once closed', () => {
    vi.stubGlobal('Notification', PlatformNotification);
    const notice = notifyRinging('アクメ商事', '着信中', 'call-1', () => undefined);
    const shown = PlatformNotification.made[0]!;
    expect(shown.title).toBe('アクメ商事');
    expect(shown.options).toMatchObject({ body: '着信中', tag: 'call-1', silent: true });
    expect(shown.onclick).not.toBeNull();
    notice?.close();
    expect(shown.closed).toBe(true);
    // A closed notification that the platform still holds must not hold the desk's state with it.
    expect(shown.onclick).toBeNull();
  });

  it('shows nothing without permission', () => {
    PlatformNotification.permission = 'denied';
    vi.stubGlobal('Notification', PlatformNotification);
    expect(notifyRinging('x', 'y', 'z', () => undefined)).toBeNull();
    PlatformNotification.permission = 'granted';
  });
});

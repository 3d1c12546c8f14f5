/**
 * What the calls bench observes in a page, from outside the app's own code, the same way in the
 * desk and in the bare callee: installed with Playwright's addInitScript before the page loads.
 *
 * - callee pages: when the first INVITE of a call arrives on any WebSocket of the page; when an
 *   element matching `name` first holds text (a MutationObserver, checked only between an INVITE
 *   and that element); the animation frame that shows it, and the end of that frame — its style,
 *   layout and paint done (a timeout queued from the frame's callback runs after the frame's
 *   rendering work). The same for an optional `later` element (the desk's script), counted once it
 *   belongs to another call (`data-call-id`) than the one shown when the probe was reset.
 * - caller pages: when the first INVITE is handed to the page's WebSocket.
 *
 * Nothing polls: the bench awaits in-page promises, so the page draws no frame it would not draw.
 */

export interface ProbeMarks {
  /** The INVITE's first byte handed to the page (callee) or by the page to its socket (caller). */
  invite: number;
  /** The watched element first in the DOM with text; its frame's start; that frame produced. */
  dom: number;
  frame: number;
  produced: number;
  name: string;
  laterDom: number;
  laterFrame: number;
  laterProduced: number;
}

export interface ProbeApi {
  reset(): void;
  marks(): ProbeMarks;
  /** Resolves with the marks once the element's frame (and the later one, if any) has been produced. */
  painted(timeoutMs: number): Promise<ProbeMarks>;
  /** Resolves once no element matches `gone` (the ring has ended). */
  cleared(gone: string, timeoutMs: number): Promise<void>;
}

/** Runs in the page (serialised by Playwright): no closures over module scope. */
export function installProbe(o: { role: 'callee' | 'caller'; name: string; later: string | null }): void {
  const now = () => performance.timeOrigin + performance.now();
  const zero = (): ProbeMarks => ({ invite: 0, dom: 0, frame: 0, produced: 0, name: '', laterDom: 0, laterFrame: 0, laterProduced: 0 });
  let marks = zero();
  /** The call the `later` element showed when the probe was reset: only another call's counts. */
  const callOf = () => document.querySelector(o.later ?? ':not(*)')?.closest('[data-call-id]')?.getAttribute('data-call-id') ?? null;
  let before: string | null = null;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const ws = waiters;
    waiters = [];
    for (const w of ws) w();
  };
  const isInvite = (data: unknown) => typeof data === 'string' && data.startsWith('INVITE ');

  if (o.role === 'caller') {
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket["send"]>[0]) {
      if (!marks.invite && isInvite(data)) marks.invite = now();
      return send.call(this, data);
    };
  } else {
    const Native = window.WebSocket;
    // Registered before the app's own listener, so it sees the INVITE first.
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (e: MessageEvent) => {
          if (!marks.invite && isInvite(e.data)) {
            marks.invite = now();
            frames(marks);
            // User-timing marks too, so a trace of the bench shows where each call's time went.
            performance.mark('probe:invite');
          }
        });
      }
    };
  }

  /**
   * From the INVITE on, a callback in every frame, registered before the app's own (the app asks
   * for frames only once the INVITE has reached it): the frame that first holds a watched element
   * is stamped, and a timeout queued from it — ahead of any the app queues from its own frame
   * callbacks — marks the end of that frame's style, layout and paint.
   */
  const frames = (m: ProbeMarks) => {
    requestAnimationFrame(() => {
      const t = now();
      if (m.dom && !m.frame) {
        m.frame = t;
        setTimeout(() => {
          m.produced = now();
          performance.mark('probe:produced');
          wake();
        }, 0);
      }
      if (m.laterDom && !m.laterFrame) {
        m.laterFrame = t;
        setTimeout(() => {
          m.laterProduced = now();
          wake();
        }, 0);
      }
      // Until both are stamped, or the bench has moved on to the next call.
      if ((!m.frame || (o.later !== null && !m.laterFrame)) && m === marks) frames(m);
    });
  };

  const check = () => {
    if (!marks.invite) return;
    const m = marks;
    if (!m.dom) {
      const el = document.querySelector(o.name);
      if (el?.textContent) {
        m.dom = now();
        performance.mark('probe:dom');
        m.name = el.textContent;
      }
    }
    if (o.later && !m.laterDom && callOf() !== null && callOf() !== before) m.laterDom = now();
    wake();
  };
  const start = () => new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);

  const until = (ready: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`probe: ${what} not within ${timeoutMs} ms`)), timeoutMs);
      const test = () => {
        if (ready()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(test);
      };
      test();
    });

  const api: ProbeApi = {
    reset: () => {
      marks = zero();
      // The page keeps every user-timing mark: a long run must not grow the heap it measures.
      performance.clearMarks();
      before = callOf();
    },
    marks: () => ({ ...marks }),
    painted: async (timeoutMs) => {
      await until(() => marks.produced > 0 && (!o.later || marks.laterProduced > 0), timeoutMs, 'pop painted');
      return { ...marks };
    },
    cleared: async (gone, timeoutMs) => {
      const observer = new MutationObserver(wake);
      observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true });
      try {
        await until(() => document.querySelector(gone) === null, timeoutMs, `${gone} gone`);
      } finally {
        observer.disconnect();
      }
    },
  };
  (window as unknown as { __probe: ProbeApi }).__probe = api;
}

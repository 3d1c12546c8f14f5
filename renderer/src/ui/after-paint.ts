/**
 * Work a ringing call needs, but not in its first frame (the ringtone's audio graph, the desktop
 * notification, focusing Answer, the answers scrolled out of view), runs just after that frame
 * instead of in React's commit, where it would hold the pop's paint back by a few milliseconds. A
 * frame (~16 ms) is far below what an ear or eye notices.
 *
 * A desk nobody is looking at must ring all the same, and it produces no frames: Chromium runs no
 * animation frames in a hidden page (a minimized window, a background tab), and Electron may stop
 * them for a minimized or covered window even where the page still says it is visible. So the wait
 * for a frame never decides whether the work runs, only when: a hidden page runs it at once (there
 * is no paint to protect), a page hidden while waiting runs it then, and in every case it runs at
 * the latest MAX_WAIT_MS after it was asked for.
 */

/** The longest the work waits for a frame that may never come (a few frames' time). */
export const MAX_WAIT_MS = 100;

/**
 * Runs `work` once, after the next frame has been produced — or without waiting for one when the
 * page is hidden or no frame comes within MAX_WAIT_MS. Returns a cancel for effect clean-ups.
 */
export function afterPaint(work: () => void): () => void {
  let done = false;
  /** How to call off each way the work may still be started. */
  const pending: (() => void)[] = [];
  const cancel = (): void => {
    done = true;
    for (const stop of pending.splice(0)) stop();
  };
  const run = (): void => {
    if (done) return;
    cancel();
    work();
  };
  // A task, not a timer: a hidden page's timers are throttled (aligned to whole seconds, to whole
  // minutes after a while), and a ring must not wait for that.
  let queued = false;
  const runSoon = (): void => {
    if (queued) return;
    queued = true;
    pending.push(nextTask(run));
  };

  if (document.hidden) {
    runSoon();
    return cancel;
  }
  const onVisibility = (): void => {
    if (document.hidden) runSoon();
  };
  document.addEventListener('visibilitychange', onVisibility);
  pending.push(() => document.removeEventListener('visibilitychange', onVisibility));
  // A timeout queued from an animation frame callback runs after that frame's paint.
  const frame = requestAnimationFrame(() => {
    const afterFrame = setTimeout(run, 0);
    pending.push(() => clearTimeout(afterFrame));
  });
  pending.push(() => cancelAnimationFrame(frame));
  // Bounded even if the page stays "visible" and yet produces no frame (Electron, minimized).
  const bound = setTimeout(run, MAX_WAIT_MS);
  pending.push(() => clearTimeout(bound));
  return cancel;
}

/**
 * Runs `work` once the next frame has been produced, however long that takes — never in a hidden
 * page. Only for measuring frames (the benchmarks' marks); anything the operator needs uses
 * `afterPaint`.
 */
export function afterNextFrame(work: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(work, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/** Runs `work` in a task of its own (a message, which no background throttling delays). */
function nextTask(work: () => void): () => void {
  const channel = new MessageChannel();
  let live = true;
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (live) work();
  };
  channel.port2.postMessage(null);
  return () => {
    live = false;
    channel.port1.close();
  };
}

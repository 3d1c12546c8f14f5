/**
 * Work a ringing call needs, but not in its first frame (the ringtone's audio graph, the desktop
 * notification, focusing Answer, the answers scrolled out of view), runs just after that frame
 * instead of in React's commit, where it would hold the pop's paint back by a few milliseconds. A
 * frame (~16 ms) is far below what an ear or eye notices.
 */

/** Runs `work` once the next frame has been produced; returns a cancel for effect clean-ups. */
export function afterPaint(work: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A timeout queued from an animation frame callback runs after that frame's paint.
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(work, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterNextFrame, afterPaint, MAX_WAIT_MS } from '../../../../renderer/src/ui/after-paint.js';

/** A page whose visibility and animation frames the test controls (Node has neither). */
class Page {
  hidden = false;
  frames = new Map<number, () => void>();
  private next = 1;
  private listeners = new Set<() => void>();

  install(): void {
    vi.stubGlobal('document', {
      get hidden() {
        return page.hidden;
      },
      addEventListener: (type: string, listener: () => void) => {
        if (type === 'visibilitychange') this.listeners.add(listener);
      },
      removeEventListener: (type: string, listener: () => void) => {
        if (type === 'visibilitychange') this.listeners.delete(listener);
      },
    });
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => {
      const id = this.next++;
      this.frames.set(id, cb);
      return id;
    });
    vi.stubGlobal('cancelAnimationFrame', (id: number) => this.frames.delete(id));
  }

  /** Produces one frame: runs the callbacks waiting for it. */
  frame(): void {
    const waiting = [...this.frames.values()];
    this.frames.clear();
    for (const cb of waiting) cb();
  }

  hide(): void {
    this.hidden = true;
    for (const listener of [...this.listeners]) listener();
  }

  get watchers(): number {
    return this.listeners.size;
  }
}

let page: Page;

/** Lets a message task (not a timer) run; fake timers do not hold it back. */
const task = () => new Promise<void>((resolve) => setImmediate(resolve));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  page = new Page();
  page.install();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('afterPaint', () => {
  it('waits for the next frame of a visible page, then runs once', async () => {
    const work = vi.fn();
    afterPaint(work);
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS / 2);
    expect(work).not.toHaveBeenCalled();
    page.frame();
    expect(work).not.toHaveBeenCalled(); // after the frame's paint, not inside its callback
    await vi.advanceTimersByTimeAsync(0);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS * 2);
    expect(work).toHaveBeenCalledTimes(1);
    expect(page.watchers).toBe(0);
  });

  it('runs at once in a hidden page, which produces no frames and throttles its timers', async () => {
    page.hidden = true;
    const work = vi.fn();
    afterPaint(work);
    expect(page.frames.size).toBe(0);
    await task();
    // No timer had to fire: a throttled timer could hold a ring back by a second or more.
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs without the frame when the page is hidden while it waits', async () => {
    const work = vi.fn();
    afterPaint(work);
    page.hide();
    await task();
    expect(work).toHaveBeenCalledTimes(1);
    page.frame();
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS * 2);
    expect(work).toHaveBeenCalledTimes(1);
    expect(page.watchers).toBe(0);
  });

  it('runs after MAX_WAIT_MS when a page that says it is visible produces no frame', async () => {
    const work = vi.fn();
    afterPaint(work);
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS - 1);
    expect(work).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(1);
    page.frame();
    await vi.advanceTimersByTimeAsync(0);
    expect(work).toHaveBeenCalledTimes(1);
    expect(page.frames.size).toBe(0);
  });

  it('never runs once cancelled, visible or hidden', async () => {
    const visible = vi.fn();
    afterPaint(visible)();
    page.frame();
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS * 2);

    const hiddenLater = vi.fn();
    const cancel = afterPaint(hiddenLater);
    page.hide();
    cancel();
    await task();

    const hidden = vi.fn();
    afterPaint(hidden)();
    await task();

    expect(visible).not.toHaveBeenCalled();
    expect(hiddenLater).not.toHaveBeenCalled();
    expect(hidden).not.toHaveBeenCalled();
    expect(page.watchers).toBe(0);
  });
});

describe('afterNextFrame (the benchmarks’ marks)', () => {
  it('waits for the frame however long it takes', async () => {
    const mark = vi.fn();
    afterNextFrame(mark);
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS * 10);
    expect(mark).not.toHaveBeenCalled();
    page.frame();
    await vi.advanceTimersByTimeAsync(0);
    expect(mark).toHaveBeenCalledTimes(1);
  });
});

/**
 * Starting the line: the OS's resume (pushed by the main process) re-checks the line at once, and
 * the late-timer wake watch, kept as the fallback, does not re-check it a second time for the same
 * wake. The store stand-in only counts what startLine asks of it (connect, resumed).
 */
import { describe, expect, it } from 'vitest';
import type { DeskEvent, DeskEventListener, DeskEventSource } from '../../../../shared/ipc/desk-events.js';
import { startLine, WAKE_DEBOUNCE_MS, type StartableLine } from '../../../../renderer/src/pairing/start-line.js';

function countingStore(): StartableLine & { connects: number; resumes: number } {
  const store = {
    connects: 0,
    resumes: 0,
    connect: async () => {
      store.connects += 1;
      return null;
    },
    resumed: () => {
      store.resumes += 1;
    },
  };
  return store;
}

/** Desk events a test can emit, as the preload or the bridge would deliver them. */
function eventSource(): DeskEventSource & { emit(event: DeskEvent): void; listening(): number } {
  const listeners = new Set<DeskEventListener>();
  return {
    onDeskEvent(listener) {
      const own: DeskEventListener = (e) => listener(e);
      listeners.add(own);
      return () => listeners.delete(own);
    },
    emit: (event) => [...listeners].forEach((l) => l(event)),
    listening: () => listeners.size,
  };
}

/** Everything startLine depends on, with a clock and a wake watch the test drives. */
function setup() {
  const store = countingStore();
  const events = eventSource();
  let clock = 1_000_000;
  let lateTick: (() => void) | null = null;
  const stop = startLine(store, {
    events,
    now: () => clock,
    watchWake: (onWake) => {
      lateTick = onWake;
      return () => {
        lateTick = null;
      };
    },
  });
  return {
    store,
    events,
    stop,
    advance: (ms: number) => (clock += ms),
    lateTick: () => lateTick?.(),
    watching: () => lateTick !== null,
  };
}

const power = (event: 'suspend' | 'resume' | 'lock-screen'): DeskEvent => ({ type: 'power', event });

describe('starting the line', () => {
  it('connects once, and re-checks the line when the OS says it resumed', () => {
    const t = setup();
    expect(t.store.connects).toBe(1);
    expect(t.store.resumes).toBe(0);
    t.events.emit(power('resume'));
    expect(t.store.resumes).toBe(1);
  });

  it('does not re-check on suspend or lock-screen', () => {
    const t = setup();
    t.events.emit(power('suspend'));
    t.events.emit(power('lock-screen'));
    expect(t.store.resumes).toBe(0);
  });

  it('re-checks once when the OS resume and the late timer report the same wake, in either order', () => {
    const eventFirst = setup();
    eventFirst.events.emit(power('resume'));
    eventFirst.advance(3_000);
    eventFirst.lateTick();
    expect(eventFirst.store.resumes).toBe(1);

    const timerFirst = setup();
    timerFirst.lateTick();
    timerFirst.advance(3_000);
    timerFirst.events.emit(power('resume'));
    expect(timerFirst.store.resumes).toBe(1);
  });

  it('still re-checks from the late timer alone, on a platform that never sends resume', () => {
    const t = setup();
    t.lateTick();
    expect(t.store.resumes).toBe(1);
    t.advance(WAKE_DEBOUNCE_MS);
    t.lateTick();
    expect(t.store.resumes).toBe(2);
  });

  it('counts a resume after a new suspend as a new wake, however soon it comes', () => {
    const t = setup();
    t.events.emit(power('resume'));
    t.advance(2_000);
    t.events.emit(power('suspend'));
    t.advance(2_000);
    t.events.emit(power('resume'));
    expect(t.store.resumes).toBe(2);
  });

  it('stops listening to both when stopped, and a remount does not connect again', () => {
    const t = setup();
    t.stop();
    expect(t.events.listening()).toBe(0);
    expect(t.watching()).toBe(false);
    t.events.emit(power('resume'));
    expect(t.store.resumes).toBe(0);

    const again = startLine(t.store, { events: t.events, watchWake: () => () => undefined });
    expect(t.store.connects).toBe(1);
    t.events.emit(power('resume'));
    expect(t.store.resumes).toBe(1);
    again();
  });
});

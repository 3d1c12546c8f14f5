import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTOSAVE_MAX_WAIT_MS, AUTOSAVE_QUIET_MS, Autosaver, type SaveStatus } from '../../../../renderer/src/notes/autosaver.js';

/** A save that takes `ms` of (fake) time and records when it started and what it got. */
function recordingSave(ms = 20) {
  const saves: { at: number; values: Record<string, string> }[] = [];
  const save = (values: Record<string, string>) => {
    saves.push({ at: Date.now(), values });
    return new Promise<void>((resolve) => setTimeout(resolve, ms));
  };
  return { saves, save };
}

describe('Autosaver', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves at least every second while keystrokes come every 50 ms for 10 s, and the last value within 300 ms of the last keystroke', async () => {
    const { saves, save } = recordingSave();
    const saver = new Autosaver({ save, onStatus: () => undefined, onError: () => undefined });
    let text = '';
    for (let t = 0; t < 10_000; t += 50) {
      text += 'あ';
      saver.schedule({ freeText: text });
      await vi.advanceTimersByTimeAsync(50);
    }
    const lastKeystroke = 10_000 - 50;
    await vi.advanceTimersByTimeAsync(2_000);

    expect(saves.length).toBeGreaterThanOrEqual(10);
    const starts = [0, ...saves.map((s) => s.at)];
    for (let i = 1; i < starts.length - 1; i++) expect(starts[i]! - starts[i - 1]!).toBeLessThanOrEqual(1_000);
    const last = saves.at(-1)!;
    expect(last.values.freeText).toBe(text);
    expect(last.at - lastKeystroke).toBeLessThanOrEqual(AUTOSAVE_QUIET_MS);
  });

  it('saves 300 ms after a single change, once', async () => {
    const { saves, save } = recordingSave();
    const saver = new Autosaver({ save, onStatus: () => undefined, onError: () => undefined });
    saver.schedule({ a: '1' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_QUIET_MS - 1);
    expect(saves).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves).toEqual([{ at: AUTOSAVE_QUIET_MS, values: { a: '1' } }]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(saves).toHaveLength(1);
  });

  it('waits for a slow save in flight, then saves what changed meanwhile, in order', async () => {
    const { saves, save } = recordingSave(900);
    const saver = new Autosaver({ save, onStatus: () => undefined, onError: () => undefined });
    saver.schedule({ a: '1' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_QUIET_MS + 100);
    saver.schedule({ a: '12' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MAX_WAIT_MS + 1_000);
    expect(saves.map((s) => s.values.a)).toEqual(['1', '12']);
    expect(saves[1]!.at).toBe(AUTOSAVE_QUIET_MS + 900);
  });

  it('keeps a failed save pending, says so, and saves it with the next change', async () => {
    const statuses: SaveStatus['state'][] = [];
    const errors: unknown[] = [];
    const got: Record<string, string>[] = [];
    let fail = true;
    const saver = new Autosaver({
      save: async (v) => {
        got.push(v);
        if (fail) throw new Error('disk full');
      },
      onStatus: (s) => statuses.push(s.state),
      onError: (e) => errors.push(e),
    });
    saver.schedule({ a: '1' });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_QUIET_MS);
    expect(statuses).toEqual(['saving', 'error']);
    expect(errors).toHaveLength(1);
    fail = false;
    expect(await saver.flush()).toBe(true);
    expect(got).toEqual([{ a: '1' }, { a: '1' }]);
    expect(statuses.at(-1)).toBe('saved');
  });

  it('detaching saves what is pending at once and shows no status afterwards', async () => {
    const statuses: string[] = [];
    const { saves, save } = recordingSave();
    const saver = new Autosaver({ save, onStatus: (s) => statuses.push(s.state), onError: () => undefined });
    saver.schedule({ a: '1' });
    saver.detach();
    expect(saves).toEqual([{ at: 0, values: { a: '1' } }]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(saves).toHaveLength(1);
    expect(statuses).toEqual([]);
  });
});

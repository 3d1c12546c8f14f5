/**
 * What the page keeps itself, cleared when the desk is cleared: every key of Local and Session
 * Storage goes but the audio-device choice (a setting) and the dev-web bridge token (the way to the
 * desk), and only when the desk says so.
 */
import { describe, expect, it } from 'vitest';
import type { DeskEvent, DeskEventListener } from '../../../../shared/ipc/desk-events.js';
import { clearPageStorageOnClearance, clearStorage, KEPT_KEYS } from '../../../../renderer/src/floor/page-storage.js';

function memoryStorage(entries: Record<string, string>): Storage {
  const map = new Map(Object.entries(entries));
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
  };
}
const keys = (s: Storage) => Array.from({ length: s.length }, (_, i) => s.key(i));

describe("clearing the page's own storage", () => {
  it('removes every key but the kept settings', () => {
    const local = memoryStorage({ 'kotozute.audio-devices': '{"microphone":""}', 'draft.note': '山田様 折り返し', other: 'x' });
    expect(clearStorage(local)).toBe(2);
    expect(keys(local)).toEqual(['kotozute.audio-devices']);
    expect([...KEPT_KEYS].sort()).toEqual(['kotozute.audio-devices', 'kotozute.bridgeToken']);
  });

  it('clears on the desk\'s clear-page-storage event only, and a storage that refuses does not stop the others', () => {
    const listeners: DeskEventListener[] = [];
    const events = { onDeskEvent: (l: DeskEventListener) => (listeners.push(l), () => undefined) };
    const local = memoryStorage({ leftover: 'x' });
    const session = memoryStorage({ 'kotozute.bridgeToken': 't', cached: 'y' });
    const broken = { get length(): number { throw new Error('denied'); }, key: () => null, removeItem: () => undefined };
    clearPageStorageOnClearance(events, () => [broken, local, session]);
    const send = (e: DeskEvent) => listeners.forEach((l) => l(e));
    send({ type: 'outbox-changed' });
    expect(keys(local)).toEqual(['leftover']);
    send({ type: 'clear-page-storage' });
    expect(keys(local)).toEqual([]);
    expect(keys(session)).toEqual(['kotozute.bridgeToken']);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeskEvent } from '../../../../shared/ipc/desk-events.js';

/** A window.kotozute as the (schema-free) preload exposes it: raw payloads to each listener. */
function fakePreload() {
  const listeners = new Set<(payload: unknown) => void>();
  return {
    api: { onDeskEvent: (l: (payload: unknown) => void) => (listeners.add(l), () => listeners.delete(l)) },
    send: (payload: unknown) => listeners.forEach((l) => l(payload)),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('desk events from the preload', () => {
  it('reach the page only once checked against the schema: unknown and malformed dropped, extras stripped', async () => {
    const preload = fakePreload();
    vi.stubGlobal('window', { kotozute: preload.api });
    const { getDeskEvents } = await import('../../../../renderer/src/api/index.js');
    const heard: DeskEvent[] = [];
    const stop = getDeskEvents().onDeskEvent((e) => heard.push(e));
    for (const bad of [{ type: 'power' }, { type: 'power', event: 'hibernate' }, { type: 'new-kind' }]) preload.send(bad);
    preload.send({ type: 'power', event: 'suspend', extra: 'not passed on' });
    stop();
    preload.send({ type: 'power', event: 'resume' });
    expect(heard).toEqual([{ type: 'power', event: 'suspend' }]);
  });
});

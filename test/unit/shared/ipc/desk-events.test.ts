/**
 * The one-way event channel's contract: the events the page understands get through as they are,
 * everything else is dropped without a throw (a newer main process or a bug must never crash the page).
 */
import { describe, expect, it } from 'vitest';
import { methodNames } from '../../../../shared/ipc/contract.js';
import { DESK_EVENT_CHANNEL, deliverDeskEvent, parseDeskEvent, type DeskEvent } from '../../../../shared/ipc/desk-events.js';
import { channelOf } from '../../../../shared/ipc/errors.js';

describe('desk events', () => {
  it('accepts each power event the OS sends', () => {
    for (const event of ['suspend', 'resume', 'lock-screen'] as const) {
      expect(parseDeskEvent({ type: 'power', event })).toEqual({ type: 'power', event });
    }
  });

  it('drops unknown or malformed events instead of throwing', () => {
    const malformed: unknown[] = [
      undefined,
      null,
      'resume',
      42,
      [],
      ['power', 'resume'],
      {},
      { type: 'power' },
      { event: 'resume' },
      { type: 'power', event: 'hibernate' },
      { type: 'power', event: 'RESUME' },
      { type: 'power', event: 1 },
      { type: 'battery', event: 'resume' },
      { type: 'display-changed' },
      JSON.stringify({ type: 'power', event: 'resume' }),
    ];
    for (const raw of malformed) expect(parseDeskEvent(raw), JSON.stringify(raw) ?? String(raw)).toBeNull();
  });

  it('passes on only the fields it knows', () => {
    expect(parseDeskEvent({ type: 'power', event: 'resume', sender: { evil: true } })).toEqual({ type: 'power', event: 'resume' });
  });

  it('uses a channel no API method can have', () => {
    expect(methodNames.map(channelOf)).not.toContain(DESK_EVENT_CHANNEL);
  });

  it('keeps delivering to the other listeners when one throws', () => {
    const seen: DeskEvent[] = [];
    const event: DeskEvent = { type: 'power', event: 'resume' };
    expect(() =>
      deliverDeskEvent(
        [
          () => {
            throw new Error('a broken listener');
          },
          (e) => seen.push(e),
        ],
        event,
      ),
    ).not.toThrow();
    expect(seen).toEqual([event]);
  });
});

import { describe, expect, it } from 'vitest';
import { layoutCalls, newlyEnded, newlyRinging } from '../../../../renderer/src/calls/call-focus.js';
import type { CallInfo } from '../../../../renderer/src/line/types.js';

function call(id: string, patch: Partial<CallInfo> = {}): CallInfo {
  return {
    id,
    ref: `ref-${id}-00000`,
    direction: 'incoming',
    state: 'ringing',
    did: '+81312345678',
    didSource: null,
    didProblems: [],
    caller: { name: '', number: '' },
    startedAt: 0,
    answeredAt: null,
    endedAt: null,
    endReason: null,
    endStatusCode: null,
    muted: false,
    holdPending: false,
    consultFor: null,
    consultation: null,
    noAudio: false,
    ...patch,
  };
}

describe('which real call the operator sees', () => {
  it('shows nothing when no call is live', () => {
    expect(layoutCalls([call('a', { state: 'ended' })]).focused).toBeNull();
  });

  it('keeps the call being talked on in front while a second call rings (call waiting)', () => {
    const talking = call('a', { state: 'active', startedAt: 1, answeredAt: 2 });
    const waiting = call('b', { startedAt: 5 });
    const layout = layoutCalls([talking, waiting]);
    expect(layout.focused?.id).toBe('a');
    expect(layout.others.map((c) => c.id)).toEqual(['b']);
  });

  it('brings the answered second call to the front and keeps the held first one beside it', () => {
    const held = call('a', { state: 'held', startedAt: 1, answeredAt: 2 });
    const talking = call('b', { state: 'active', startedAt: 5, answeredAt: 6 });
    const layout = layoutCalls([held, talking]);
    expect(layout.focused?.id).toBe('b');
    expect(layout.others.map((c) => c.id)).toEqual(['a']);
  });

  it('shows the held call answered last when every call is on hold', () => {
    const layout = layoutCalls([
      call('a', { state: 'held', answeredAt: 2 }),
      call('b', { state: 'held', answeredAt: 9 }),
    ]);
    expect(layout.focused?.id).toBe('b');
  });

  it('rings the oldest call first when none is answered', () => {
    expect(layoutCalls([call('b', { startedAt: 1 }), call('c', { startedAt: 3 })]).focused?.id).toBe('b');
  });

  it('files a consultation call under the call being transferred, not as a call of its own', () => {
    const original = call('a', { state: 'held', answeredAt: 2, consultation: 'k' });
    const consult = call('k', { direction: 'outgoing', state: 'active', consultFor: 'a' });
    const layout = layoutCalls([original, consult]);
    expect(layout.focused?.id).toBe('a');
    expect(layout.others).toEqual([]);
    expect(layout.consultations.get('a')?.id).toBe('k');
  });
});

describe('call transitions the UI reacts to', () => {
  it('reports a call as ended once, when it ends', () => {
    const ringing = [call('a')];
    const ended = [call('a', { state: 'ended', endReason: 'cancelled' })];
    expect(newlyEnded(ringing, ended).map((c) => c.id)).toEqual(['a']);
    expect(newlyEnded(ended, ended)).toEqual([]);
  });

  it('asks for a pop only for incoming calls that ring and were not seen before', () => {
    const calls = [call('a'), call('b'), call('c', { direction: 'outgoing' }), call('d', { state: 'active' })];
    expect(newlyRinging(new Set(['a']), calls).map((c) => c.id)).toEqual(['b']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Pop } from '../../../../shared/directory/pop.js';
import { deskReducer, IDLE } from '../../../../renderer/src/desk/desk-state.js';

const pop = (callId: string): Pop => ({
  callId,
  training: true,
  did: '+81312345678',
  caller: { name: '山田', number: '09012345678' },
  receivedAt: '2025-01-01T00:00:00Z',
  client: null,
  greeting: 'x',
  open: true,
});

describe('desk call phases', () => {
  it('rings, answers and ends a call', () => {
    const ringing = deskReducer(IDLE, { type: 'ring', pop: pop('a') });
    expect(ringing).toEqual({ phase: 'ringing', pop: pop('a') });
    const inCall = deskReducer(ringing, { type: 'answer' });
    expect(inCall.phase).toBe('in-call');
    expect(deskReducer(inCall, { type: 'end' })).toBe(IDLE);
  });

  it('declines a ringing call back to idle', () => {
    expect(deskReducer(deskReducer(IDLE, { type: 'ring', pop: pop('a') }), { type: 'decline' })).toBe(IDLE);
  });

  it('ignores a second ring while busy, and actions that do not apply', () => {
    const inCall = deskReducer(deskReducer(IDLE, { type: 'ring', pop: pop('a') }), { type: 'answer' });
    expect(deskReducer(inCall, { type: 'ring', pop: pop('b') })).toBe(inCall);
    expect(deskReducer(inCall, { type: 'decline' })).toBe(inCall);
    expect(deskReducer(IDLE, { type: 'answer' })).toBe(IDLE);
    expect(deskReducer(IDLE, { type: 'end' })).toBe(IDLE);
  });
});

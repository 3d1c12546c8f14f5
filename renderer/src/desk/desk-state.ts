/**
 * The desk's call phases as a reducer: idle → ringing → in call → idle. Kept free of React and the
 * DOM so the rules (you cannot answer what is not ringing, a new ring waits for the desk to be
 * idle) are plain functions.
 */
import type { Pop } from '../../../shared/directory/pop.js';

export type DeskPhase =
  | { phase: 'idle' }
  | { phase: 'ringing'; pop: Pop }
  | { phase: 'in-call'; pop: Pop };

export type DeskEvent = { type: 'ring'; pop: Pop } | { type: 'answer' } | { type: 'decline' } | { type: 'end' };

export const IDLE: DeskPhase = { phase: 'idle' };

/** The next phase; an event that does not apply leaves the phase as it is. */
export function deskReducer(state: DeskPhase, event: DeskEvent): DeskPhase {
  switch (event.type) {
    case 'ring':
      return state.phase === 'idle' ? { phase: 'ringing', pop: event.pop } : state;
    case 'answer':
      return state.phase === 'ringing' ? { phase: 'in-call', pop: state.pop } : state;
    case 'decline':
      return state.phase === 'ringing' ? IDLE : state;
    case 'end':
      return state.phase === 'in-call' ? IDLE : state;
  }
}

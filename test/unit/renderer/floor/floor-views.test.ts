/** A person with several roster roles switches between the screens their roles bring; one role, one screen. */
import { describe, expect, it } from 'vitest';
import { viewShown, viewsFor } from '../../../../renderer/src/floor/floor-views.js';

describe('the screens a signed-in person may switch between', () => {
  it('gives each role its screen: board, operator desk, End of day', () => {
    expect(viewsFor(['supervisor'])).toEqual(['board']);
    expect(viewsFor(['operator'])).toEqual(['desk']);
    expect(viewsFor(['shift-lead'])).toEqual(['clearance']);
  });

  it('lets a shift lead who is also operator and supervisor switch between all three, board first', () => {
    expect(viewsFor(['shift-lead', 'operator', 'supervisor'])).toEqual(['board', 'desk', 'clearance']);
    expect(viewsFor(['operator', 'shift-lead'])).toEqual(['desk', 'clearance']);
  });

  it('never shows a screen the person has no role for: a stale choice falls back to their first', () => {
    expect(viewShown(['operator', 'shift-lead'], 'clearance')).toBe('clearance');
    expect(viewShown(['operator'], 'clearance')).toBe('desk');
    expect(viewShown(['shift-lead'], 'board')).toBe('clearance');
    expect(viewShown([], 'board')).toBeNull();
  });
});

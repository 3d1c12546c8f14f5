import { describe, expect, it } from 'vitest';
import { announceDeskUnlocked, isDeskLocked, onDeskUnlocked } from '../../../../renderer/src/floor/desk-unlocks.js';
import { ApiError } from '../../../../shared/ipc/errors.js';

describe('the desk being unlocked, for what was refused while it was locked', () => {
  it('tells every listener once per unlock, goes on past a listener that throws, and stops telling one that left', () => {
    const heard: string[] = [];
    const offA = onDeskUnlocked(() => heard.push('a'));
    const offBad = onDeskUnlocked(() => {
      throw new Error('a bug');
    });
    const offB = onDeskUnlocked(() => heard.push('b'));
    announceDeskUnlocked();
    expect(heard).toEqual(['a', 'b']);
    offA();
    announceDeskUnlocked();
    expect(heard).toEqual(['a', 'b', 'b']);
    offB();
    offBad();
  });

  it("recognises the main process's refusal by its code, also as it arrives over the bridge (a plain object)", () => {
    expect(isDeskLocked(new ApiError('desk-locked', 'locked'))).toBe(true);
    expect(isDeskLocked({ code: 'desk-locked', message: 'x', details: [] })).toBe(true);
    expect(isDeskLocked(new ApiError('not-allowed', 'no'))).toBe(false);
    expect(isDeskLocked(null)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { InviteGate } from '../../../../renderer/src/line/invite-gate.js';

describe('which INVITEs may ring', () => {
  it('rings below capacity and answers busy at capacity', () => {
    let t = 0;
    const gate = new InviteGate(20, () => t);
    expect(gate.admit(0, 2)).toBe('ring');
    expect(gate.admit(1, 2)).toBe('ring');
    t += 100;
    expect(gate.admit(2, 2)).toBe('busy');
  });

  it('refuses the excess of a burst and recovers a second later', () => {
    let t = 0;
    const gate = new InviteGate(20, () => t);
    const decisions = Array.from({ length: 50 }, () => gate.admit(0, 100));
    expect(decisions.filter((d) => d === 'ring')).toHaveLength(20);
    expect(decisions.filter((d) => d === 'flood')).toHaveLength(30);
    t += 1000;
    expect(gate.admit(0, 100)).toBe('ring');
  });
});

import { describe, expect, it } from 'vitest';
import { sendReply } from '../../../../renderer/src/floor/send-reply.js';

describe('a floor reply (clearance report)', () => {
  it('is sent again until the server takes it, a bounded number of times', async () => {
    const waits: number[] = [];
    let calls = 0;
    const ok = await sendReply(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('the line is not registered');
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(ok).toBe(true);
    expect(calls).toBe(3);
    expect(waits).toEqual([1000, 1000]);
  });

  it('gives up after the last try and says so, never throwing', async () => {
    let calls = 0;
    const ok = await sendReply(
      async () => {
        calls += 1;
        throw new Error('480');
      },
      { tries: 4, sleep: async () => undefined },
    );
    expect(ok).toBe(false);
    expect(calls).toBe(4);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startKeepAlive, type KeepAlive } from '../../../../renderer/src/line/keep-alive.js';

describe('keep-alives on the line’s socket', () => {
  let sent = 0;
  let dead = 0;
  let keepAlive: KeepAlive;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = 0;
    dead = 0;
    keepAlive = startKeepAlive({ send: () => void (sent += 1), onDead: () => void (dead += 1), intervalMs: 25_000, answerMs: 10_000, random: () => 1 });
  });
  afterEach(() => {
    keepAlive.stop();
    vi.useRealTimers();
  });

  it('sends one every interval, spread over its last fifth', () => {
    const spread = startKeepAlive({ send: () => void (sent += 1), onDead: () => undefined, intervalMs: 25_000, random: () => 0 });
    vi.advanceTimersByTime(20_000);
    expect(sent).toBe(1); // the early one (random 0) at 20 s, the late one (random 1) not yet
    spread.stop();
    vi.advanceTimersByTime(5_000);
    expect(sent).toBe(2);
    vi.advanceTimersByTime(25_000);
    expect(sent).toBe(3);
  });

  it('calls a socket dead when the server answered keep-alives before and now stays silent', () => {
    vi.advanceTimersByTime(25_000);
    keepAlive.heard('pong');
    vi.advanceTimersByTime(25_000);
    expect(sent).toBe(2);
    vi.advanceTimersByTime(9_999);
    expect(dead).toBe(0);
    vi.advanceTimersByTime(1);
    expect(dead).toBe(1);
  });

  it('takes any message as a sign of life', () => {
    vi.advanceTimersByTime(25_000);
    keepAlive.heard('pong');
    vi.advanceTimersByTime(25_000);
    keepAlive.heard('message');
    vi.advanceTimersByTime(10_000);
    expect(dead).toBe(0);
  });

  it('never calls a socket dead on a server that does not answer keep-alives at all: it only sends them', () => {
    vi.advanceTimersByTime(5 * 25_000 + 10_000);
    expect(sent).toBe(5);
    expect(dead).toBe(0);
  });

  it('sends nothing more and calls nothing dead once stopped', () => {
    vi.advanceTimersByTime(25_000);
    keepAlive.heard('pong');
    vi.advanceTimersByTime(25_000);
    keepAlive.stop();
    vi.advanceTimersByTime(100_000);
    expect(sent).toBe(2);
    expect(dead).toBe(0);
  });
});

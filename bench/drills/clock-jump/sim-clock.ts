/**
 * The drills' two clocks, simulated so an hour passes in no time: `real` (what a monotonic clock
 * counts, and what a person's watch says) and the wall clock the desk reads, `real + offset`. A jump
 * moves only the offset.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface SimClock {
  /** Real time, ms since the epoch. */
  real: number;
  /** What the wall clock is off by (the jumps so far), ms. */
  offset: number;
  /** The wall clock, as a Date (a service's `now`). */
  wall(): Date;
  /** The monotonic clock (a service's `monotonic`). */
  monotonic(): number;
}

export function simClock(start: number): SimClock {
  const c: SimClock = {
    real: start,
    offset: 0,
    wall: () => new Date(c.real + c.offset),
    monotonic: () => c.real,
  };
  return c;
}

/** ±1 h: back on even trials, forward on odd ones. */
export const jumpOf = (trial: number) => (trial % 2 === 0 ? -HOUR : HOUR);
export const directionOf = (trial: number) => (trial % 2 === 0 ? 'back' : 'forward');

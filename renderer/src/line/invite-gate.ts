/**
 * Decides, before anything else, whether an incoming INVITE may ring. A desk holds a few calls at
 * most, and a burst of INVITEs (a misrouted trunk, a scanner, a PBX loop) must cost a 486 each and
 * never a frozen screen.
 */

export type GateDecision = 'ring' | 'busy' | 'flood';

/** Admits INVITEs by capacity and by rate (a sliding one-second window of arrivals). */
export class InviteGate {
  private readonly arrivals: number[] = [];

  constructor(
    private readonly maxPerSecond: number,
    private readonly now: () => number,
  ) {}

  /** Records one arrival and says what to do with it, given how many calls the desk holds now. */
  admit(liveCalls: number, maxCalls: number): GateDecision {
    const t = this.now();
    while (this.arrivals.length > 0 && t - this.arrivals[0]! >= 1000) this.arrivals.shift();
    this.arrivals.push(t);
    // Arrivals are kept only for a second, but a flood can be large: never keep more than needed.
    if (this.arrivals.length > this.maxPerSecond * 4) this.arrivals.splice(0, this.arrivals.length - this.maxPerSecond * 4);
    if (this.arrivals.length > this.maxPerSecond) return 'flood';
    return liveCalls >= maxCalls ? 'busy' : 'ring';
  }
}

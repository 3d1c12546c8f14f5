/**
 * Single-use nonces for signed floor requests. A request is only fresh for ±FRESHNESS_MS, so a nonce
 * need be remembered only that long after its request was sent: past that the request is refused as
 * stale anyway. Bounded: when full of unexpired nonces it refuses (fails closed) rather than forgets.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  constructor(
    /** How long a nonce is remembered (at least twice the freshness window). */
    private readonly ttlMs: number,
    private readonly max = 100_000,
  ) {}

  /** True the first time `nonce` is offered; false for a replay, or when the cache is full. */
  use(nonce: string, now: number): boolean {
    const expires = this.seen.get(nonce);
    if (expires !== undefined && expires > now) return false;
    if (this.seen.size >= this.max) this.prune(now);
    if (this.seen.size >= this.max) return false;
    this.seen.set(nonce, now + this.ttlMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [nonce, expires] of this.seen) if (expires <= now) this.seen.delete(nonce);
  }
}

/**
 * "Needs attention" (要対応) on this desk (issue 10 §4, §5): a clearance was asked for — by the daily
 * schedule or a shift lead's floor command — and refused because messages are still undelivered.
 * Shown on the desk's own screen (getClearanceNotice) and in its floor state, so the board shows it.
 *
 * One small holder so every source raises it the same way:
 *   attention.raiseNeedsAttention('floor', { undelivered: 2, failed: 1 })
 * and clears it once the desk is cleared (resolve) or nothing is left undelivered.
 */
import type { AttentionCounts, AttentionSource, NeedsAttention } from '../../../../shared/clearance/notice.js';

export interface DeskAttention {
  /** Raises (or updates the counts of) "needs attention" for `source`; listeners are told on a change. */
  raiseNeedsAttention(source: AttentionSource, counts: AttentionCounts): void;
  /** Lowers it: for one source, or every source (the desk was cleared). */
  resolve(source?: AttentionSource): void;
  /** The one to show (the first raised), or null. */
  current(): NeedsAttention | null;
  /** Told on every change; returns the function that stops it. */
  onChange(listener: () => void): () => void;
}

export function createDeskAttention(now: () => number): DeskAttention {
  // At most one per source: bounded by the closed list of sources.
  const raised = new Map<AttentionSource, NeedsAttention>();
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of [...listeners]) {
      try {
        l();
      } catch {
        // one broken listener must not stop the others
      }
    }
  };
  return {
    raiseNeedsAttention(source, counts) {
      const held = raised.get(source);
      if (held && held.counts.undelivered === counts.undelivered && held.counts.failed === counts.failed) return;
      raised.set(source, { source, counts: { undelivered: counts.undelivered, failed: counts.failed }, since: held?.since ?? now() });
      changed();
    },
    resolve(source) {
      const had = raised.size;
      if (source === undefined) raised.clear();
      else raised.delete(source);
      if (raised.size !== had) changed();
    },
    current() {
      let first: NeedsAttention | null = null;
      for (const a of raised.values()) if (first === null || a.since < first.since) first = a;
      return first;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * What the calls UI needs from the paired line: the current Line (null while unpaired) and a way to
 * hear when it is replaced. renderer/src/pairing/line-store.ts provides exactly this.
 */
import type { Line } from '../line/types.js';

export interface LineSource {
  readonly line: Line | null;
  subscribe(listener: () => void): () => void;
}

/**
 * The calls the desk has popped, by call id, so a note opened for a call gets that call's context
 * (client, dialled number, caller) from the main process's own record, not from the renderer.
 * Bounded: a desk holds a couple of calls at once; old entries fall out.
 */
import type { Pop } from '../../../shared/directory/pop.js';

const MAX_CALLS = 64;

export class CallRegistry {
  private readonly calls = new Map<string, Pop>();

  remember(pop: Pop): Pop {
    this.calls.delete(pop.callId);
    this.calls.set(pop.callId, pop);
    while (this.calls.size > MAX_CALLS) {
      const oldest = this.calls.keys().next().value;
      if (oldest === undefined) break;
      this.calls.delete(oldest);
    }
    return pop;
  }

  get(callId: string): Pop | undefined {
    return this.calls.get(callId);
  }

  forget(callId: string): void {
    this.calls.delete(callId);
  }
}

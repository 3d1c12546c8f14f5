/**
 * The line's calls as the operator should see them, with their pops. A call that starts ringing is
 * held back for the few milliseconds the main process needs to find its client, so the first frame
 * that shows the ring already shows the right client — and the page's main thread stays free to
 * take the answer instead of painting a half-empty ring first. If the pop is slow (or fails) the
 * ring shows anyway after RING_HOLDBACK_MS, with the safe generic pop.
 *
 * The pop is asked for from the line's own subscription, not from a React effect: a passive effect
 * may run only after the next paint.
 */
import type { Pop } from '../../../shared/directory/pop.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { CallInfo, Line } from '../line/types.js';
import { newlyRinging } from './call-focus.js';

/** Longest a ringing call waits for its pop before it is shown anyway. */
export const RING_HOLDBACK_MS = 250;

export interface CallsView {
  /** The calls to show (a ringing call once its pop is known or overdue); same array while unchanged. */
  readonly calls: readonly CallInfo[];
  /** The pops known so far, by call id. */
  readonly pops: ReadonlyMap<string, Pop>;
}

export interface CallPops {
  readonly view: CallsView;
  subscribe(listener: () => void): () => void;
  /** Forgets the pops of calls the UI is done with. */
  forget(ids: Iterable<string>): void;
}

export const EMPTY_VIEW: CallsView = Object.freeze({ calls: Object.freeze([]), pops: new Map() });

export function watchCallPops(
  api: Pick<KotozuteApi, 'popIncomingCall'>,
  line: Line,
  fallback: (call: CallInfo) => Pop,
  onError: (err: unknown) => void,
): CallPops {
  const listeners = new Set<() => void>();
  const asked = new Set<string>();
  const overdue = new Set<string>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let pops: ReadonlyMap<string, Pop> = new Map();
  let view: CallsView = EMPTY_VIEW;
  let unsubscribeLine: (() => void) | null = null;

  const shown = (c: CallInfo) => c.direction === 'outgoing' || c.state !== 'ringing' || pops.has(c.id) || overdue.has(c.id);

  /** Recomputes the view; observers hear of it only when something they show changed. */
  const refresh = () => {
    const calls = line.state.calls.filter(shown);
    const same = calls.length === view.calls.length && calls.every((c, i) => c === view.calls[i]) && pops === view.pops;
    if (same) return;
    view = Object.freeze({ calls: calls.length === view.calls.length && calls.every((c, i) => c === view.calls[i]) ? view.calls : Object.freeze(calls), pops });
    for (const l of [...listeners]) l();
  };

  const settle = (id: string, pop: Pop) => {
    const timer = timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(id);
    if (!asked.has(id)) return;
    pops = new Map(pops).set(id, pop);
    refresh();
  };

  const onLine = () => {
    for (const call of newlyRinging(asked, line.state.calls)) {
      asked.add(call.id);
      api
        .popIncomingCall({ callId: call.id, did: call.did, caller: { name: call.caller.name, number: call.caller.number } })
        .then((pop) => settle(call.id, pop))
        .catch((err: unknown) => {
          // The call still rings and can be answered: with the safe generic pop.
          settle(call.id, fallback(call));
          onError(err);
        });
      timers.set(
        call.id,
        setTimeout(() => {
          timers.delete(call.id);
          overdue.add(call.id);
          refresh();
        }, RING_HOLDBACK_MS),
      );
    }
    refresh();
  };

  return {
    get view() {
      return view;
    },
    subscribe(listener) {
      listeners.add(listener);
      // Nothing happens until someone observes (React subscribes on commit, never during render).
      if (!unsubscribeLine) {
        unsubscribeLine = line.subscribe(onLine);
        onLine();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        unsubscribeLine?.();
        unsubscribeLine = null;
      };
    },
    forget(ids) {
      let changed = false;
      const next = new Map(pops);
      for (const id of ids) {
        asked.delete(id);
        overdue.delete(id);
        const timer = timers.get(id);
        if (timer !== undefined) clearTimeout(timer);
        timers.delete(id);
        changed = next.delete(id) || changed;
      }
      if (!changed) return;
      pops = next;
      refresh();
    },
  };
}

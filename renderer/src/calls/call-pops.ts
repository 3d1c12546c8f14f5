/**
 * The line's calls as the operator should see them, with their pops. A call that starts ringing
 * shows at once with its client's name from the label book (client-labels.ts), in a first frame
 * that holds the ringing strip and nothing else; the pop, asked for in the same moment, is
 * committed only after that frame has been produced, so the name is never held back by the script's
 * layout. Without a loaded book the ring is held back for the few milliseconds the main process
 * needs to find its client (at most RING_HOLDBACK_MS, then the safe generic pop applies), so the
 * first frame that shows the ring still shows the right client.
 *
 * While the desk is locked the main process refuses the pop ('desk-locked'): the ring shows with the
 * generic pop behind the lock screen, and the real one is asked for once the desk is unlocked.
 *
 * The pop is asked for from the line's own subscription, not from a React effect: a passive effect
 * may run only after the next paint.
 */
import type { Pop } from '../../../shared/directory/pop.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { CallInfo, Line } from '../line/types.js';
import { afterPaint } from '../ui/after-paint.js';
import { newlyRinging } from './call-focus.js';
import { isDeskLocked, onDeskUnlocked } from '../floor/desk-unlocks.js';
import type { ClientLabelView, LabelBook } from './client-labels.js';

/** Longest a ringing call waits for its pop before it is shown anyway. */
export const RING_HOLDBACK_MS = 250;

export interface CallsView {
  /** The calls to show (a ringing call once its pop is known or overdue); same array while unchanged. */
  readonly calls: readonly CallInfo[];
  /** The pops known so far, by call id. */
  readonly pops: ReadonlyMap<string, Pop>;
  /** Who each ringing call is for, from the label book (null: a number the directory lacks). */
  readonly labels: ReadonlyMap<string, ClientLabelView | null>;
}

export interface CallPops {
  readonly view: CallsView;
  subscribe(listener: () => void): () => void;
  /** Forgets the pops of calls the UI is done with. */
  forget(ids: Iterable<string>): void;
}

export const EMPTY_VIEW: CallsView = Object.freeze({ calls: Object.freeze([]), pops: new Map(), labels: new Map() });

export function watchCallPops(
  api: Pick<KotozuteApi, 'popIncomingCall'>,
  line: Line,
  fallback: (call: CallInfo) => Pop,
  onError: (err: unknown) => void,
  book?: LabelBook,
): CallPops {
  const listeners = new Set<() => void>();
  const asked = new Set<string>();
  const overdue = new Set<string>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Calls shown by their label whose first frame has not been produced yet, with the pop if it came. */
  const firstFrame = new Map<string, { pop: Pop | null; cancel: () => void }>();
  let pops: ReadonlyMap<string, Pop> = new Map();
  let labels: ReadonlyMap<string, ClientLabelView | null> = new Map();
  let view: CallsView = EMPTY_VIEW;
  let unsubscribeLine: (() => void) | null = null;
  let unsubscribeUnlock: (() => void) | null = null;
  /** Calls whose pop the main process refused because the desk was locked (lock-gate.ts). */
  const refused = new Set<string>();

  const shown = (c: CallInfo) =>
    c.direction === 'outgoing' || c.state !== 'ringing' || pops.has(c.id) || labels.has(c.id) || overdue.has(c.id);

  /** Recomputes the view; observers hear of it only when something they show changed. */
  const refresh = () => {
    const calls = line.state.calls.filter(shown);
    const sameCalls = calls.length === view.calls.length && calls.every((c, i) => c === view.calls[i]);
    if (sameCalls && pops === view.pops && labels === view.labels) return;
    view = Object.freeze({ calls: sameCalls ? view.calls : Object.freeze(calls), pops, labels });
    for (const l of [...listeners]) l();
  };

  const commit = (id: string, pop: Pop) => {
    pops = new Map(pops).set(id, pop);
    // The book named another client than the pop: the directory changed since it was loaded.
    const label = labels.get(id);
    if (label !== undefined && (label?.id ?? null) !== (pop.client?.id ?? null)) book?.reload();
    refresh();
  };

  const settle = (id: string, pop: Pop) => {
    const timer = timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(id);
    if (!asked.has(id)) return;
    const waiting = firstFrame.get(id);
    // The ring's first frame is still being made: the pop follows it rather than joining it.
    if (waiting) waiting.pop = pop;
    else commit(id, pop);
  };

  /** Shows a ringing call by its label now; its pop is committed once this frame has been produced. */
  const label = (call: CallInfo): void => {
    const found = book?.lookup(call.did);
    if (found === undefined) return;
    labels = new Map(labels).set(call.id, found);
    const entry = {
      pop: null as Pop | null,
      cancel: afterPaint(() => {
        firstFrame.delete(call.id);
        if (entry.pop && asked.has(call.id)) commit(call.id, entry.pop);
      }),
    };
    firstFrame.set(call.id, entry);
  };

  /**
   * Asks the main process for the call's pop. On a failure the call still rings and can be answered
   * (`first`: with the safe generic pop); refused because the desk is locked, nobody sees the pop now
   * and it is asked again on unlock (askAgain).
   */
  const requestPop = (call: CallInfo, first: boolean): void => {
    api
      .popIncomingCall({ callId: call.id, did: call.did, caller: { name: call.caller.name, number: call.caller.number } })
      .then((pop) => settle(call.id, pop))
      .catch((err: unknown) => {
        if (first) settle(call.id, fallback(call));
        if (isDeskLocked(err)) refused.add(call.id);
        else onError(err);
      });
  };

  const onLine = () => {
    for (const call of newlyRinging(asked, line.state.calls)) {
      asked.add(call.id);
      label(call);
      requestPop(call, true);
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

  /** The desk is open again: the real pop of each call still ringing replaces its generic stand-in. */
  const askAgain = () => {
    for (const id of [...refused]) {
      refused.delete(id);
      const call = line.state.calls.find((c) => c.id === id);
      if (call && asked.has(id)) requestPop(call, false);
    }
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
        unsubscribeUnlock = onDeskUnlocked(askAgain);
        onLine();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        unsubscribeLine?.();
        unsubscribeLine = null;
        unsubscribeUnlock?.();
        unsubscribeUnlock = null;
      };
    },
    forget(ids) {
      let changed = false;
      const next = new Map(pops);
      let nextLabels: Map<string, ClientLabelView | null> | null = null;
      for (const id of ids) {
        asked.delete(id);
        overdue.delete(id);
        refused.delete(id);
        firstFrame.get(id)?.cancel();
        firstFrame.delete(id);
        if (labels.has(id)) {
          nextLabels ??= new Map(labels);
          nextLabels.delete(id);
        }
        const timer = timers.get(id);
        if (timer !== undefined) clearTimeout(timer);
        timers.delete(id);
        changed = next.delete(id) || changed;
      }
      if (nextLabels) labels = nextLabels;
      if (!changed && !nextLabels) return;
      pops = next;
      refresh();
    },
  };
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pop } from '../../../../shared/directory/pop.js';
import type { ClientLabels } from '../../../../shared/ipc/line-contract.js';
import { RING_HOLDBACK_MS, watchCallPops } from '../../../../renderer/src/calls/call-pops.js';
import { createLabelBook } from '../../../../renderer/src/calls/client-labels.js';
import type { CallInfo, Line, LineState } from '../../../../renderer/src/line/types.js';
import { announceDeskUnlocked } from '../../../../renderer/src/floor/desk-unlocks.js';
import { ApiError } from '../../../../shared/ipc/errors.js';

/** A frame every 16 ms on the fake clock (the page is visible). */
const FRAME_MS = 16;

/** The line as call-pops sees it: a snapshot and change notifications (the real one is tested in line/). */
function lineWith(): Line & { ring(call: Partial<CallInfo> & { id: string }): void } {
  const listeners = new Set<(s: LineState) => void>();
  let state: LineState = { registration: 'registered', reason: null, statusCode: null, retryAt: null, calls: [], monitors: [] };
  return {
    get state() {
      return state;
    },
    calls: [],
    call: () => undefined,
    monitors: [],
    monitor: () => undefined,
    startMonitor: () => Promise.reject(new Error('not in this test')),
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    connect: () => Promise.resolve(state),
    disconnect: () => Promise.resolve(),
    resumed: () => undefined,
    sendFloorMessage: () => Promise.resolve(),
    onFloorMessage: () => () => undefined,
    ring(call) {
      const info: CallInfo = {
        ref: 'ref-of-the-call',
        direction: 'incoming',
        state: 'ringing',
        did: null,
        didSource: null,
        didProblems: [],
        caller: { name: '山田', number: '0312345678' } as CallInfo['caller'],
        startedAt: 0,
        answeredAt: null,
        endedAt: null,
        endReason: null,
        endStatusCode: null,
        muted: false,
        holdPending: false,
        consultFor: null,
        consultation: null,
        noAudio: false,
        ...call,
      };
      state = { ...state, calls: [...state.calls, info] };
      for (const l of listeners) l(state);
    },
  };
}

function popFor(callId: string, client: { id: string; name: string } | null): Pop {
  return {
    callId,
    training: false,
    did: '+81312345678',
    caller: { name: '山田', number: '0312345678' },
    receivedAt: new Date(0).toISOString(),
    client: client && ({ id: client.id, name: client.name } as unknown as NonNullable<Pop['client']>),
    greeting: '',
    open: true,
  };
}

const LABELS: ClientLabels = { clients: [{ id: 'acme', name: 'アクメ商事', dids: ['+81312345678'] }] };

/** A promise settled by the test, standing for the main process's answer. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), FRAME_MS));
  vi.stubGlobal('cancelAnimationFrame', (id: ReturnType<typeof setTimeout>) => clearTimeout(id));
  vi.stubGlobal('document', { hidden: false, visibilityState: 'visible', addEventListener: () => undefined, removeEventListener: () => undefined });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('ringing calls and their pops', () => {
  it('shows a ringing call with its client name at once, and its pop only after that first frame', async () => {
    const line = lineWith();
    const book = createLabelBook({ clientLabels: () => Promise.resolve(LABELS) }, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    const answer = deferred<Pop>();
    const pops = watchCallPops({ popIncomingCall: () => answer.promise }, line, (c) => popFor(c.id, null), () => undefined, book);
    const seen: number[] = [];
    pops.subscribe(() => seen.push(pops.view.calls.length));

    line.ring({ id: 'c1', did: '03-1234-5678' });
    expect(pops.view.calls.map((c) => c.id)).toEqual(['c1']);
    expect(pops.view.labels.get('c1')).toEqual({ id: 'acme', name: 'アクメ商事' });
    expect(pops.view.pops.has('c1')).toBe(false);

    // The pop comes back before the ring's first frame: it waits for that frame.
    answer.resolve(popFor('c1', { id: 'acme', name: 'アクメ商事' }));
    await vi.advanceTimersByTimeAsync(1);
    expect(pops.view.pops.has('c1')).toBe(false);
    await vi.advanceTimersByTimeAsync(FRAME_MS + 1);
    expect(pops.view.pops.get('c1')?.client?.id).toBe('acme');
  });

  it('says at once that a number is not the directory’s, when the book does not know it', async () => {
    const line = lineWith();
    const book = createLabelBook({ clientLabels: () => Promise.resolve(LABELS) }, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    const pops = watchCallPops({ popIncomingCall: () => new Promise<Pop>(() => undefined) }, line, (c) => popFor(c.id, null), () => undefined, book);
    pops.subscribe(() => undefined);
    line.ring({ id: 'c1', did: '0399999999' });
    expect(pops.view.calls.map((c) => c.id)).toEqual(['c1']);
    expect(pops.view.labels.get('c1')).toBeNull();
  });

  it('holds a ringing call back until its pop while the book is not loaded, and no longer than the hold-back', async () => {
    const line = lineWith();
    const book = createLabelBook({ clientLabels: () => new Promise<ClientLabels>(() => undefined) }, () => undefined);
    const pops = watchCallPops({ popIncomingCall: () => new Promise<Pop>(() => undefined) }, line, (c) => popFor(c.id, null), () => undefined, book);
    pops.subscribe(() => undefined);
    line.ring({ id: 'c1', did: '0312345678' });
    expect(pops.view.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(RING_HOLDBACK_MS + 1);
    expect(pops.view.calls.map((c) => c.id)).toEqual(['c1']);
    expect(pops.view.labels.has('c1')).toBe(false);
  });

  it('loads the book again when a pop names another client than the book did', async () => {
    const line = lineWith();
    const load = vi.fn(() => Promise.resolve(LABELS));
    const book = createLabelBook({ clientLabels: load }, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    const pops = watchCallPops({ popIncomingCall: () => Promise.resolve(popFor('c1', { id: 'renamed', name: '新社名' })) }, line, (c) => popFor(c.id, null), () => undefined, book);
    pops.subscribe(() => undefined);
    line.ring({ id: 'c1', did: '0312345678' });
    await vi.advanceTimersByTimeAsync(FRAME_MS + 1);
    expect(pops.view.pops.get('c1')?.client?.id).toBe('renamed');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('forgets a call’s label and its pending pop with the call', async () => {
    const line = lineWith();
    const book = createLabelBook({ clientLabels: () => Promise.resolve(LABELS) }, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    const answer = deferred<Pop>();
    const pops = watchCallPops({ popIncomingCall: () => answer.promise }, line, (c) => popFor(c.id, null), () => undefined, book);
    pops.subscribe(() => undefined);
    line.ring({ id: 'c1', did: '0312345678' });
    pops.forget(['c1']);
    answer.resolve(popFor('c1', { id: 'acme', name: 'アクメ商事' }));
    await vi.advanceTimersByTimeAsync(FRAME_MS * 2);
    expect(pops.view.labels.has('c1')).toBe(false);
    expect(pops.view.pops.has('c1')).toBe(false);
  });
});

describe('a ring while the desk is locked (the main process refuses its pop)', () => {
  it('rings with the generic pop, says nothing of the refusal, and shows the real pop once unlocked', async () => {
    const line = lineWith();
    let locked = true;
    const ask = vi.fn(() => (locked ? Promise.reject(new ApiError('desk-locked', 'locked')) : Promise.resolve(popFor('c1', { id: 'acme', name: 'アクメ商事' }))));
    const errors: unknown[] = [];
    const pops = watchCallPops({ popIncomingCall: ask }, line, (c) => popFor(c.id, null), (e) => errors.push(e));
    pops.subscribe(() => undefined);
    line.ring({ id: 'c1', did: '0312345678' });
    await vi.advanceTimersByTimeAsync(RING_HOLDBACK_MS + 1);
    expect(pops.view.calls.map((c) => c.id)).toEqual(['c1']);
    expect(pops.view.pops.get('c1')?.client).toBeNull();
    expect(errors).toEqual([]);

    locked = false;
    announceDeskUnlocked();
    await vi.advanceTimersByTimeAsync(FRAME_MS + 1);
    expect(ask).toHaveBeenCalledTimes(2);
    expect(pops.view.pops.get('c1')?.client?.id).toBe('acme');
  });

  it('does not ask again for a call that ended while locked', async () => {
    const line = lineWith();
    const ask = vi.fn(() => Promise.reject(new ApiError('desk-locked', 'locked')));
    const pops = watchCallPops({ popIncomingCall: ask }, line, (c) => popFor(c.id, null), () => undefined);
    pops.subscribe(() => undefined);
    line.ring({ id: 'c1', did: '0312345678' });
    await vi.advanceTimersByTimeAsync(1);
    pops.forget(['c1']);
    announceDeskUnlocked();
    await vi.advanceTimersByTimeAsync(1);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('keeps the label book quiet while locked and loads it once unlocked', async () => {
    let locked = true;
    const load = vi.fn(() => (locked ? Promise.reject(new ApiError('desk-locked', 'locked')) : Promise.resolve(LABELS)));
    const errors: unknown[] = [];
    const book = createLabelBook({ clientLabels: load }, (e) => errors.push(e));
    await vi.advanceTimersByTimeAsync(0);
    expect(book.lookup('0312345678')).toBeUndefined();
    expect(errors).toEqual([]);
    locked = false;
    announceDeskUnlocked();
    await vi.advanceTimersByTimeAsync(0);
    expect(book.lookup('0312345678')).toEqual({ id: 'acme', name: 'アクメ商事' });
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('the label book', () => {
  it('finds a client by its number in any written form, says null for a number it lacks, and undefined before it loads', async () => {
    const loaded = deferred<ClientLabels>();
    const book = createLabelBook({ clientLabels: () => loaded.promise }, () => undefined);
    expect(book.lookup('0312345678')).toBeUndefined();
    loaded.resolve(LABELS);
    await vi.advanceTimersByTimeAsync(0);
    for (const form of ['03-1234-5678', '+81312345678', '０３１２３４５６７８', 'sip:0312345678@pbx']) {
      expect(book.lookup(form)).toEqual({ id: 'acme', name: 'アクメ商事' });
    }
    expect(book.lookup('0399999999')).toBeNull();
    expect(book.lookup(null)).toBeNull();
  });

  it('reports a failed load and stays unloaded, so calls wait for their pops', async () => {
    const onError = vi.fn();
    const book = createLabelBook({ clientLabels: () => Promise.reject(new Error('keychain locked')) }, onError);
    await vi.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalledOnce();
    expect(book.lookup('0312345678')).toBeUndefined();
  });
});

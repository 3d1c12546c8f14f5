/**
 * The app's one line: made from the saved profile and the keychain's password, replaced (never
 * doubled) on reconnect, and the reasons it has no line said plainly. The lines here are real
 * (renderer/src/line) with configurations refused before any socket opens, so nothing touches the network.
 */
import { describe, expect, it } from 'vitest';
import type { LineProfile, LineState as SavedLine } from '../../../../shared/ipc/line-contract.js';
import { createLineStore, lineConfigFrom, type LineStoreDeps } from '../../../../renderer/src/pairing/line-store.js';
import { lineStatusView } from '../../../../renderer/src/pairing/line-status-view.js';

const profile: LineProfile = {
  // ws:// to another computer: the line refuses it before connecting (reason bad-url).
  server: 'ws://pbx.example.test/ws',
  aor: 'sip:desk1@example.test',
  authUser: 'desk1',
  displayName: 'Desk 1',
  iceServers: [],
  maxCalls: 3,
  dtmfMode: 'info',
  didSources: [{ kind: 'to' }],
};

/** The two API methods the store uses, answering from memory as the main process would. */
function savedApi(saved: SavedLine, password: string | Error = 'pw'): LineStoreDeps['api'] & { passwordReads: number } {
  const api = {
    passwordReads: 0,
    getLine: async () => saved,
    getLinePassword: async () => {
      api.passwordReads += 1;
      if (password instanceof Error) throw password;
      return { password };
    },
  };
  return api;
}

describe('line store', () => {
  it('has no line and says "not paired" when no line is saved, without asking for a password', async () => {
    const api = savedApi({ paired: false, profile: null, hasPassword: false });
    const store = createLineStore({ api });
    expect(await store.connect()).toBeNull();
    expect(store.line).toBeNull();
    expect(store.snapshot.problem).toBe('not-paired');
    expect(api.passwordReads).toBe(0);
    expect(lineStatusView(store.snapshot)).toEqual({ state: 'offline', reason: 'not-paired', statusCode: null, detail: null });
  });

  it('says "no password" when the keychain holds none, and "keychain" when it cannot be read', async () => {
    const none = createLineStore({ api: savedApi({ paired: true, profile, hasPassword: false }) });
    await none.connect();
    expect(none.snapshot.problem).toBe('no-password');
    const locked = Object.assign(new Error('The keyring is locked.'), { code: 'keychain-unavailable' });
    const broken = createLineStore({ api: savedApi({ paired: true, profile, hasPassword: true }, locked) });
    await broken.connect();
    expect(broken.snapshot.problem).toBe('keychain');
    expect(broken.line).toBeNull();
  });

  it('connects a line made from the saved profile, and reports what the line reports', async () => {
    const store = createLineStore({ api: savedApi({ paired: true, profile, hasPassword: true }) });
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.snapshot.state?.registration ?? 'none'));
    const state = await store.connect();
    expect(state).toMatchObject({ registration: 'failed', reason: 'bad-url' });
    expect(store.line).not.toBeNull();
    expect(store.snapshot.line).toBe(store.line);
    expect(seen.at(-1)).toBe('failed');
    expect(lineStatusView(store.snapshot)).toEqual({ state: 'offline', reason: 'bad-url', statusCode: null, detail: null });
  });

  it('replaces the line on a second connect instead of keeping two, and drops it on disconnect', async () => {
    const store = createLineStore({ api: savedApi({ paired: true, profile, hasPassword: true }) });
    await store.connect();
    const first = store.line!;
    await store.connect();
    expect(store.line).not.toBe(first);
    expect(first.state.registration).toBe('offline');
    await store.disconnect();
    expect(store.line).toBeNull();
    expect(store.snapshot).toEqual({ line: null, state: null, problem: null, detail: null });
  });

  it('builds the line configuration from every field of the profile', () => {
    expect(lineConfigFrom(profile, 'secret')).toEqual({
      server: profile.server,
      aor: profile.aor,
      authUser: 'desk1',
      password: 'secret',
      displayName: 'Desk 1',
      iceServers: [],
      maxCalls: 3,
      dtmfMode: 'info',
      didSources: [{ kind: 'to' }],
    });
  });

  it('shows the platform\'s TLS code with a "tls" reason only, never with another reason', () => {
    const state = (reason: 'tls' | 'unreachable') => ({
      registration: 'failed' as const,
      reason,
      statusCode: null,
      retryAt: null,
      calls: [],
      monitors: [],
    });
    const tls = { line: null, state: state('tls'), problem: null, detail: 'CERT_HAS_EXPIRED' };
    expect(lineStatusView(tls)).toEqual({ state: 'offline', reason: 'tls', statusCode: null, detail: 'CERT_HAS_EXPIRED' });
    const stale = { line: null, state: state('unreachable'), problem: null, detail: 'CERT_HAS_EXPIRED' };
    expect(lineStatusView(stale)).toEqual({ state: 'offline', reason: 'unreachable', statusCode: null, detail: null });
  });
});

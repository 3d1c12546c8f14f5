// A sip.js UserAgent running in Node, for signalling tests: a caller, a callee, a transfer target.
// Node has no WebRTC, so sessions use a stub SessionDescriptionHandler with a fixed SDP (see
// shared/design/ENVIRONMENT.md, "sip.js 0.21 in Node and in Chromium"). Media tests use Chromium.
//
//   const bob = await createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...bobUser });
//   await bob.register();
//   const invitation = bob.nextInvite();
//   const inviter = await alice.call(bobUser.user, { extraHeaders: ['X-Called-Number: 0312345678'] });
import {
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type BodyAndContentType,
  type Invitation,
  type Core,
  type Session,
  type SessionDescriptionHandler,
} from 'sip.js';

/** Options for {@link createNodeUa}. */
export interface NodeUaOptions {
  wsUrl: string;
  user: string;
  password: string;
  domain: string;
  displayName?: string;
}

/** Options for {@link NodeUa.call}. */
export interface CallOptions {
  /** Whole header lines, e.g. `X-Called-Number: 0312345678`. */
  extraHeaders?: string[];
  /** From display name for this call (default: the UA's). */
  displayName?: string;
  /** Sees the INVITE's responses, e.g. onReject for the final status of a failed call. */
  requestDelegate?: Core.OutgoingRequestDelegate;
}

/** A started sip.js UserAgent with the small surface tests need. */
export interface NodeUa {
  readonly ua: UserAgent;
  /** `sip:USER@DOMAIN`. */
  readonly aor: string;
  /**
   * Registers with a fresh Registerer (disposing any previous one, as after a transport loss).
   * Resolves in the Registered state; rejects with {@link SipRejectedError} on a final failure.
   */
  register(timeoutMs?: number): Promise<void>;
  /** Unregisters and disposes the current Registerer, if any. */
  unregister(): Promise<void>;
  /** Sends an INVITE to a user of the domain, or to a full `sip:` URI. Resolves once sent. */
  call(target: string, options?: CallOptions): Promise<Inviter>;
  /** Handles incoming INVITEs (replaces any previous handler). Without one, INVITEs get 480. */
  onInvite(callback: (invitation: Invitation) => void): void;
  /** The next incoming INVITE (installs a one-shot handler). */
  nextInvite(timeoutMs?: number): Promise<Invitation>;
  /** Reconnects the transport after a loss (the app drives this itself; sip.js does not). */
  reconnect(): Promise<void>;
  /** Unregisters if possible and stops the UserAgent. Idempotent. */
  stop(): Promise<void>;
}

/** A final non-2xx answer to a request, e.g. 403 to a REGISTER with a wrong password. */
export class SipRejectedError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reasonPhrase: string,
    method: string,
  ) {
    super(`${method} rejected: ${statusCode} ${reasonPhrase}`);
    this.name = 'SipRejectedError';
  }
}

/** The SDP every stub session offers and answers: PCMU plus telephone-event, nothing listens. */
export const STUB_SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=sendrecv',
  '',
].join('\r\n');

/** Signalling-only session description handler: fixed local SDP, remembers what it was given. */
export class StubSessionDescriptionHandler implements SessionDescriptionHandler {
  /** The last remote SDP set on this session. */
  remoteSdp: string | undefined;
  /** DTMF tones sip.js asked this handler to send (RFC 4733 would go in RTP). */
  readonly sentDtmf: string[] = [];

  close(): void {
    // nothing to release
  }

  getDescription(): Promise<BodyAndContentType> {
    return Promise.resolve({ body: STUB_SDP, contentType: 'application/sdp' });
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  setDescription(sdp: string): Promise<void> {
    this.remoteSdp = sdp;
    return Promise.resolve();
  }

  sendDtmf(tones: string): boolean {
    this.sentDtmf.push(tones);
    return true;
  }
}

/** Creates a UserAgent for `sip:USER@DOMAIN` and connects it to the WebSocket server. */
export async function createNodeUa(options: NodeUaOptions): Promise<NodeUa> {
  const aor = `sip:${options.user}@${options.domain}`;
  const uri = UserAgent.makeURI(aor);
  if (!uri) throw new Error(`not a SIP URI: ${aor}`);
  let inviteHandler: ((invitation: Invitation) => void) | undefined;
  let registerer: Registerer | undefined;
  let stopped = false;

  const ua = new UserAgent({
    uri,
    authorizationUsername: options.user,
    authorizationPassword: options.password,
    displayName: options.displayName ?? options.user,
    transportOptions: { server: options.wsUrl, traceSip: false, connectionTimeout: 5 },
    sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler(),
    // Never a public STUN server (the stub does no ICE, but keep the configuration honest).
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
    // Messages carry numbers and names: no traces, no configuration dump, errors go nowhere.
    logBuiltinEnabled: false,
    logConfiguration: false,
    logLevel: 'error',
    logConnector: () => undefined,
    userAgentString: 'kotozute-test-ua',
    delegate: {
      onInvite(invitation) {
        if (inviteHandler) inviteHandler(invitation);
        else void invitation.reject({ statusCode: 480 }).catch(() => undefined);
      },
    },
  });
  await ua.start();

  async function disposeRegisterer(): Promise<void> {
    const current = registerer;
    registerer = undefined;
    if (!current) return;
    // After a transport loss the un-REGISTER cannot be sent: don't wait for it for ever.
    await withTimeout(current.dispose(), 2000, 'registerer dispose').catch(() => undefined);
  }

  const nodeUa: NodeUa = {
    ua,
    aor,
    async register(timeoutMs = 5000) {
      await disposeRegisterer();
      const current = new Registerer(ua);
      registerer = current;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`REGISTER for ${aor}: no answer in ${timeoutMs} ms`)), timeoutMs);
        const listener = (state: RegistererState): void => {
          if (state === RegistererState.Registered) finish();
          if (state === RegistererState.Terminated) finish(new Error('registerer terminated'));
        };
        function finish(error?: Error): void {
          clearTimeout(timer);
          current.stateChange.removeListener(listener);
          if (error) reject(error);
          else resolve();
        }
        current.stateChange.addListener(listener);
        current
          .register({
            requestDelegate: {
              onReject(response) {
                const { statusCode, reasonPhrase } = response.message;
                finish(new SipRejectedError(statusCode ?? 0, reasonPhrase ?? '', 'REGISTER'));
              },
            },
          })
          .catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
      });
    },
    async unregister() {
      await disposeRegisterer();
    },
    async call(target, callOptions = {}) {
      const targetAor = target.startsWith('sip:') ? target : `sip:${target}@${options.domain}`;
      const targetUri = UserAgent.makeURI(targetAor);
      if (!targetUri) throw new Error(`not a SIP URI: ${targetAor}`);
      const inviter = new Inviter(ua, targetUri, {
        extraHeaders: callOptions.extraHeaders ?? [],
        ...(callOptions.displayName !== undefined ? { params: { fromDisplayName: callOptions.displayName } } : {}),
      });
      await inviter.invite(callOptions.requestDelegate ? { requestDelegate: callOptions.requestDelegate } : {});
      return inviter;
    },
    onInvite(callback) {
      inviteHandler = callback;
    },
    nextInvite(timeoutMs = 5000) {
      return new Promise<Invitation>((resolve, reject) => {
        const timer = setTimeout(() => {
          inviteHandler = undefined;
          reject(new Error(`${aor}: no INVITE within ${timeoutMs} ms`));
        }, timeoutMs);
        inviteHandler = (invitation) => {
          clearTimeout(timer);
          inviteHandler = undefined;
          resolve(invitation);
        };
      });
    },
    async reconnect() {
      await ua.reconnect();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await disposeRegisterer();
      await withTimeout(ua.stop(), 3000, 'user agent stop').catch(() => undefined);
    },
  };
  return nodeUa;
}

/** Resolves when the session reaches `state` (at once if it is already there). */
export function sessionReaches(session: Session, state: SessionState, timeoutMs = 5000): Promise<void> {
  if (session.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.stateChange.removeListener(listener);
      reject(new Error(`session did not reach ${state} within ${timeoutMs} ms (now ${session.state})`));
    }, timeoutMs);
    const listener = (next: SessionState): void => {
      if (next !== state) return;
      clearTimeout(timer);
      session.stateChange.removeListener(listener);
      resolve();
    };
    session.stateChange.addListener(listener);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

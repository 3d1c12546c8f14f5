/**
 * A desk's SIP line: one sip.js UserAgent kept registered, and the calls on it, as a small model the
 * UI observes. It stays up by itself — after a dropped WebSocket, a server restart, the network
 * coming back or the OS resuming it reconnects with back-off and jitter and registers with a NEW
 * Registerer (sip.js does not reconnect on its own, and a Registerer from before the loss must not
 * be reused). Configuration is checked before any socket is opened.
 */
import {
  Inviter,
  Messager,
  Registerer,
  RegistererState,
  UserAgent,
  UserAgentState,
  Web,
  type Invitation,
  type Message,
  type URI,
} from 'sip.js';
import { FLOOR_CONTENT_TYPE, MAX_TOKEN_CHARS, MONITOR_HEADER } from '../../../shared/floor/wire.js';
import { callerFrom } from '../../../shared/line/caller.js';
import { DEFAULT_DID_SOURCES, dialledNumberFrom } from '../../../shared/line/dialled-number.js';
import { offerProblem } from '../../../shared/line/sdp-offer.js';
import { checkServerUrl } from '../../../shared/line/server-url.js';
import { backoffDelay } from './backoff.js';
import { CallImpl, type CallContext } from './call.js';
import { InviteGate } from './invite-gate.js';
import { guardMedia } from './media-guard.js';
import { createMonitorMix } from '../floor/monitor-mix.js';
import { IncomingMonitor, MONITOR_CHECK_TIMEOUT_MS, OutgoingMonitor, type MonitorContext } from './monitor.js';
import { openMicrophone, prepareMicrophone, releaseMicrophone, webSessionDescriptionHandlerFactory } from './microphone.js';
import { quietLogOptions, type LineLogSink } from './redacting-logger.js';
import { screenTransport } from './sip-screen.js';
import { watchSocket, type SocketWatch } from './socket-watch.js';
import { startKeepAlive, type KeepAlive } from './keep-alive.js';
import {
  FINAL_FAILURES,
  type Call,
  type Line,
  type LineConfig,
  type LineDeps,
  type LineFailure,
  type LineState,
  type Monitor,
  type MonitorCheck,
  type OnlineEvents,
  type FloorMessageIn,
  type Registration,
} from './types.js';

/** Monitor sessions a desk holds at once (either direction); more get 486. */
const MAX_MONITORS = 4;
/** Ended calls kept for the UI (wrap-up) before the oldest are dropped, so nothing grows per call. */
const MAX_ENDED_CALLS = 8;
/** An un-REGISTER that gets no answer must not hold up the next registration. */
const DISPOSE_TIMEOUT_MS = 1500;
const STOP_TIMEOUT_MS = 3000;
const TARGET_USER = /^[A-Za-z0-9._+*#-]{1,64}$/;
/** Floor MESSAGEs accepted per second before the excess is answered 503 (200 desks heartbeat at 0.1/s). */
const MAX_FLOOR_MESSAGES_PER_SECOND = 400;

type Outcome = { ok: true } | { ok: false; reason: LineFailure; statusCode: number | null } | { ok: false; superseded: true };

/** Creates a line for one paired account. Nothing happens on the network until `connect()`. */
export function createLine(config: LineConfig, deps: LineDeps = {}): Line {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const sink: LineLogSink = deps.log ?? (() => undefined);
  const onlineEvents = deps.onlineEvents ?? defaultOnlineEvents();
  const maxCalls = Math.max(1, config.maxCalls ?? 2);
  const connectTimeoutMs = config.connectTimeoutMs ?? 5000;
  const registerTimeoutMs = config.registerTimeoutMs ?? 8000;
  const didSources = config.didSources ?? DEFAULT_DID_SOURCES;
  const gate = new InviteGate(config.maxInvitesPerSecond ?? 20, now);

  const listeners = new Set<(state: LineState) => void>();
  const floorListeners = new Set<(message: FloorMessageIn) => void>();
  let floorWindow = { second: -1, count: 0 };
  let calls: CallImpl[] = [];
  let monitors: (IncomingMonitor | OutgoingMonitor)[] = [];
  let registration: Pick<LineState, 'registration' | 'reason' | 'statusCode' | 'retryAt'> = {
    registration: 'offline',
    reason: null,
    statusCode: null,
    retryAt: null,
  };
  let state: LineState = freezeState();

  let ua: UserAgent | undefined;
  let aorUri: URI | undefined;
  let registerer: Registerer | undefined;
  let socket: SocketWatch | null = null;
  /** Keep-alives on the socket the line is registered over (keep-alive.ts). */
  let keepAlive: KeepAlive | null = null;
  /** The operator wants the line up: automatic attempts are allowed. */
  let wanted = false;
  /** Bumped whenever an attempt is superseded (a new attempt, a loss, disconnect). */
  let generation = 0;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let phase: 'idle' | 'connecting' | 'registering' | 'up' = 'idle';
  /** Set while we close the transport ourselves, so the close is not taken for a loss. */
  let closingOnPurpose = false;
  let registeringLost: (() => void) | null = null;
  let inFlight: Promise<LineState> | null = null;
  /**
   * The network changed (an `online` event) or the socket was lost while a call was up: once the
   * line is registered again, the calls' media paths are renewed with an ICE restart.
   */
  let mediaRestartDue = false;

  const log = (message: string): void => {
    try {
      sink({ level: 'log', category: 'line', message });
    } catch {
      // logging never breaks the line
    }
  };

  function freezeState(): LineState {
    return Object.freeze({ ...registration, calls: Object.freeze(calls.map((c) => c.info)), monitors: Object.freeze(monitors.map((m) => m.info)) });
  }

  function publish(): void {
    state = freezeState();
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch {
        // one broken observer must not stop the others, nor the line
      }
    }
  }

  function setRegistration(next: Registration, reason: LineFailure | null = null, statusCode: number | null = null, retryAt: number | null = null): void {
    registration = { registration: next, reason, statusCode, retryAt };
    publish();
  }

  // ---- calls ------------------------------------------------------------------------------

  // The WebRTC handler by default; a platform that brings its own handler brings no microphone.
  const webMedia = deps.sessionDescriptionHandlerFactory === undefined;

  const callContext: CallContext = {
    now,
    dtmfMode: config.dtmfMode ?? 'rfc4733',
    // A saved choice whose device is gone (a headset unplugged since) answers with the default.
    openMicrophone: webMedia ? (deviceId) => openMicrophone(deviceId, { fallbackToDefault: true }) : null,
    changed: () => {
      pruneEnded();
      endOrphanMonitors();
      publish();
    },
    async holdOthers(except) {
      for (const other of calls) {
        if (other !== except && other.info.state === 'active') {
          await other.hold().catch(() => log('hold before answering failed'));
        }
      }
    },
    async dial(target, consultFor, microphone) {
      if (!ua || phase !== 'up') throw new Error('the line is not registered');
      const inviter = new Inviter(ua, callContext.targetUri(target), {
        sessionDescriptionHandlerOptions: { hold: false } as Web.SessionDescriptionHandlerOptions,
      });
      // The operator's chosen microphone, opened before the INVITE: a refused one stops the
      // consultation here, before anything is sent (CallImpl.consult takes the caller off hold).
      if (callContext.openMicrophone) prepareMicrophone(inviter, await callContext.openMicrophone(microphone));
      const call = CallImpl.outgoing(inviter, callContext, consultFor.id);
      calls = [...calls, call];
      publish();
      try {
        await inviter.invite({ requestDelegate: { onReject: (response) => call.noteRejected(response.message.statusCode ?? 0) } });
      } finally {
        // Taken by the media handler once the INVITE went out; stopped here when it did not.
        releaseMicrophone(inviter);
      }
      return call;
    },
    targetUri(target) {
      const text = target.trim();
      const uri = /^sips?:/i.test(text)
        ? UserAgent.makeURI(text)
        : TARGET_USER.test(text) && aorUri
          ? UserAgent.makeURI(`${aorUri.scheme}:${text}@${aorUri.host}`)
          : undefined;
      // The target is a hidden staff number: never put it in an error message.
      if (!uri) throw new Error('the transfer target is not a usable address');
      return uri;
    },
    remove(call) {
      calls = calls.filter((c) => c !== call);
      publish();
    },
    log,
  };

  function pruneEnded(): void {
    const ended = calls.filter((c) => !c.live);
    if (ended.length <= MAX_ENDED_CALLS) return;
    const drop = new Set(ended.slice(0, ended.length - MAX_ENDED_CALLS));
    calls = calls.filter((c) => !drop.has(c));
  }

  // ---- monitor sessions (issue 9 §6) --------------------------------------------------------

  const monitorContext: MonitorContext = {
    changed: () => publish(),
    remove(monitor) {
      monitors = monitors.filter((m) => m !== monitor);
      publish();
    },
    log,
  };

  /** Refs of the calls a supervisor may listen in on: answered and still up. */
  const liveCallRefs = (): string[] => calls.filter((c) => c.info.state === 'active' || c.info.state === 'held').map((c) => c.info.ref);

  /** An incoming session whose call ended (or was dropped) ends with it. */
  function endOrphanMonitors(): void {
    for (const monitor of monitors) {
      if (!(monitor instanceof IncomingMonitor) || !monitor.live) continue;
      const call = calls.find((c) => c.id === monitor.info.callId);
      if (!call?.live) void monitor.callEnded();
      else monitor.follow({ muted: call.info.muted, held: call.info.state === 'held' || call.info.holdPending });
    }
  }

  /**
   * A supervisor's INVITE: the main process checks the signed request (and audits the verdict); a
   * refusal is 403 with no audio. An accepted one is answered at once — no ring, no pop.
   */
  async function onMonitorInvite(invitation: Invitation): Promise<void> {
    const request = invitation.request;
    const port = deps.monitorPort;
    if (monitors.length >= MAX_MONITORS) {
      void invitation.reject({ statusCode: 486 }).catch(() => undefined);
      log('monitor INVITE refused: too many monitor sessions (486)');
      return;
    }
    let verdict: MonitorCheck | null = null;
    if (port) {
      verdict = await withTimeout(
        port.check({ token: request.getHeader(MONITOR_HEADER) ?? null, from: request.from.uri.toString(), liveCallRefs: liveCallRefs() }),
        MONITOR_CHECK_TIMEOUT_MS,
      ).catch(() => null);
    }
    const call = verdict?.ok ? calls.find((c) => c.live && c.info.ref === verdict.callRef) : undefined;
    if (!verdict?.ok || !port || !call) {
      if (verdict?.ok && port) void port.ended({ sessionId: verdict.sessionId, cause: 'call-ended' }).catch(() => undefined);
      void invitation.reject({ statusCode: 403 }).catch(() => undefined);
      log(`monitor INVITE refused: ${verdict && !verdict.ok ? verdict.reason : port ? 'no verdict' : 'no roster'} (403)`);
      return;
    }
    const media = deps.monitorMedia ? deps.monitorMedia(call) : webMedia ? createMonitorMix(call) : null;
    if (media?.toSupervisor) prepareMicrophone(invitation, media.toSupervisor);
    const monitor = new IncomingMonitor(
      invitation,
      monitorContext,
      port,
      verdict.sessionId,
      media,
      { callId: call.id, callRef: verdict.callRef, mode: verdict.mode, tellOperator: verdict.tellOperator },
      liveCallRefs,
    );
    monitors = [...monitors, monitor];
    publish();
    try {
      await monitor.answer();
      log(`monitor session up: ${verdict.mode}`);
    } catch {
      log('monitor session could not be answered');
      await monitor.callEnded().catch(() => undefined);
    } finally {
      releaseMicrophone(invitation);
    }
  }

  async function startMonitor(args: Parameters<Line['startMonitor']>[0]): Promise<Monitor> {
    if (!ua || phase !== 'up') throw new Error('the line is not registered');
    if (monitors.length >= MAX_MONITORS) throw new Error('too many monitor sessions');
    const target = UserAgent.makeURI(args.target.trim());
    if (!target || !/^sips?$/i.test(target.scheme)) throw new Error('the desk address is not a SIP URI');
    if (!/^[A-Za-z0-9_.-]+$/.test(args.token)) throw new Error('the monitor request is not a token');
    const inviter = new Inviter(ua, target, {
      extraHeaders: [`${MONITOR_HEADER}: ${args.token}`],
      sessionDescriptionHandlerOptions: { hold: false } as Web.SessionDescriptionHandlerOptions,
    });
    // Whisper and barge need the microphone; it is opened for listen too, so a mode change needs no
    // renegotiation (in listen it is not sent: OutgoingMonitor disables it).
    if (callContext.openMicrophone) prepareMicrophone(inviter, await callContext.openMicrophone(args.microphone ?? ''));
    const monitor = new OutgoingMonitor(inviter, monitorContext, { callRef: args.callRef, mode: args.mode });
    monitors = [...monitors, monitor];
    publish();
    try {
      await inviter.invite({ requestDelegate: { onReject: (response) => monitor.noteRejected(response.message.statusCode ?? 0) } });
    } finally {
      releaseMicrophone(inviter);
    }
    return monitor;
  }

  function onInvite(invitation: Invitation): void {
    // Whatever arrives, the line answers something and never throws into sip.js.
    try {
      // A monitor request is never a call: it does not count toward capacity (still toward floods).
      const isMonitor = invitation.request.hasHeader(MONITOR_HEADER);
      const live = calls.filter((c) => c.live).length;
      const decision = gate.admit(isMonitor ? 0 : live, maxCalls);
      if (decision !== 'ring') {
        void invitation.reject({ statusCode: 486 }).catch(() => undefined);
        log(decision === 'flood' ? 'INVITE refused: too many per second (486)' : 'INVITE refused: desk at capacity (486)');
        return;
      }
      const request = invitation.request;
      const problem = offerProblem(request.body, request.getHeader('Content-Type'));
      if (problem !== null) {
        void invitation.reject({ statusCode: 488 }).catch(() => undefined);
        log(`INVITE refused: ${problem} (488)`);
        return;
      }
      if (isMonitor) {
        void onMonitorInvite(invitation).catch(() => {
          log('monitor INVITE could not be handled (500)');
          void invitation.reject({ statusCode: 500 }).catch(() => undefined);
        });
        return;
      }
      const view = {
        headers: (name: string) => request.getHeaders(name),
        toUser: request.to?.uri?.user ?? null,
        fromDisplayName: request.from?.displayName ?? null,
        fromUser: request.from?.uri?.user ?? null,
      };
      const dialled = dialledNumberFrom(view, didSources);
      const call = CallImpl.incoming(invitation, callContext, {
        did: dialled.did,
        didSource: dialled.source,
        didProblems: dialled.problems,
        caller: callerFrom(view),
      });
      calls = [...calls, call];
      publish();
      // 180 Ringing only for a call that really rings (busy answers go out without it).
      void invitation.progress().catch(() => undefined);
    } catch {
      log('INVITE could not be handled (500)');
      void invitation.reject({ statusCode: 500 }).catch(() => undefined);
    }
  }

  /**
   * A MESSAGE: only floor bodies (shared/floor/wire.ts) are taken, and only as opaque text for the
   * main process to check; anything else is refused. Never throws into sip.js.
   */
  function onMessage(message: Message): void {
    try {
      const request = message.request;
      const type = (request.getHeader('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== FLOOR_CONTENT_TYPE) {
        void message.reject({ statusCode: 415 }).catch(() => undefined);
        return;
      }
      const body = typeof request.body === 'string' ? request.body : '';
      if (body.length === 0 || body.length > MAX_TOKEN_CHARS) {
        void message.reject({ statusCode: 413 }).catch(() => undefined);
        return;
      }
      const second = Math.floor(now() / 1000);
      if (floorWindow.second !== second) floorWindow = { second, count: 0 };
      floorWindow.count += 1;
      if (floorWindow.count > MAX_FLOOR_MESSAGES_PER_SECOND || floorListeners.size === 0) {
        void message.reject({ statusCode: floorListeners.size === 0 ? 480 : 503 }).catch(() => undefined);
        return;
      }
      void message.accept().catch(() => undefined);
      const from = request.from?.uri?.toString() ?? '';
      for (const listener of [...floorListeners]) {
        try {
          listener({ from, body });
        } catch {
          // one broken listener must not stop the others
        }
      }
    } catch {
      void message.reject({ statusCode: 500 }).catch(() => undefined);
    }
  }

  async function sendFloorMessage(to: string, body: string, opts: { answered?: boolean } = {}): Promise<void> {
    if (!ua || phase !== 'up') throw new Error('the line is not registered');
    const target = /^sips?:/i.test(to) ? UserAgent.makeURI(to) : undefined;
    if (!target) throw new Error('not a SIP URI');
    const messager = new Messager(ua, target, body, FLOOR_CONTENT_TYPE);
    if (!opts.answered) return messager.message();
    // Settles on the final response (a desk not registered is a 404/480; no answer, the transaction's 408).
    await new Promise<void>((resolve, reject) => {
      messager
        .message({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => reject(new Error(`the desk did not take the message (${response.message.statusCode})`)),
          },
        })
        .catch(reject);
    });
  }

  // ---- registration -----------------------------------------------------------------------

  function makeUserAgent(uri: URI): UserAgent {
    const factory = deps.sessionDescriptionHandlerFactory ?? webSessionDescriptionHandlerFactory();
    const agent = new UserAgent({
      uri,
      authorizationUsername: config.authUser,
      authorizationPassword: config.password,
      displayName: config.displayName ?? '',
      transportOptions: {
        server: config.server,
        // Whole SIP messages carry caller numbers and names: never traced.
        traceSip: false,
        connectionTimeout: Math.max(1, Math.ceil(connectTimeoutMs / 1000)),
      },
      sessionDescriptionHandlerFactory: guardMedia(factory),
      sessionDescriptionHandlerFactoryOptions: {
        // No ICE server unless configured: sip.js would otherwise use a public STUN server.
        peerConnectionConfiguration: { iceServers: config.iceServers ?? [] },
        iceGatheringTimeout: config.iceGatheringTimeoutMs ?? 2000,
      },
      ...quietLogOptions(sink),
      // The line says 180 itself, and only for calls that ring (not for the 486s of a flood).
      sendInitialProvisionalResponse: false,
      userAgentString: 'Kotozute',
      delegate: {
        onInvite,
        onMessage,
        onDisconnect: (error) => onTransportDown(error),
      },
    });
    // Every message from the server is screened first (RFC 4475 answers, nothing thrown: sip-screen.ts).
    screenTransport(agent.transport, log);
    return agent;
  }

  function validate(): LineFailure | null {
    if (!checkServerUrl(config.server).ok) return 'bad-url';
    if (!config.authUser || config.authUser.length > 256 || config.password.length > 1024) return 'bad-config';
    const uri = UserAgent.makeURI(config.aor.trim());
    if (!uri || !/^sips?$/i.test(uri.scheme) || !uri.user || !uri.host) return 'bad-config';
    aorUri = uri;
    return null;
  }

  async function connect(): Promise<LineState> {
    if (wanted && inFlight) return inFlight;
    if (wanted && (registration.registration === 'registered' || registration.registration === 'connecting')) return state;
    const invalid = validate();
    if (invalid) {
      // Refused before any socket exists (e.g. ws:// to a host that is not this machine).
      log(`configuration refused: ${invalid}`);
      setRegistration('failed', invalid);
      return state;
    }
    wanted = true;
    failures = 0;
    onlineEvents?.addEventListener('online', onOnline);
    return attempt();
  }

  function attempt(): Promise<LineState> {
    clearRetry();
    const gen = ++generation;
    setRegistration('connecting', registration.reason, registration.statusCode, null);
    const run = (async (): Promise<LineState> => {
      const outcome = await connectAndRegister(gen).catch((): Outcome => ({ ok: false, reason: 'unreachable', statusCode: null }));
      if (gen !== generation || 'superseded' in outcome) return state;
      if (outcome.ok) {
        failures = 0;
        phase = 'up';
        armKeepAlive();
        log('registered');
        setRegistration('registered');
        if (mediaRestartDue) restartCallMedia();
      } else {
        await fail(outcome.reason, outcome.statusCode);
      }
      return state;
    })();
    inFlight = run;
    void run.finally(() => {
      if (inFlight === run) inFlight = null;
    });
    return run;
  }

  async function connectAndRegister(gen: number): Promise<Outcome> {
    const agent = (ua ??= makeUserAgent(aorUri!));
    if (!agent.isConnected()) {
      phase = 'connecting';
      const transport = agent.transport;
      const connecting = agent.state === UserAgentState.Started ? transport.connect() : agent.start();
      const ws = transport instanceof Web.Transport ? transport.ws : undefined;
      disarmKeepAlive();
      socket = ws ? watchSocket(ws, now) : null;
      const watch = socket;
      try {
        await connecting;
      } catch {
        if (gen !== generation) return { ok: false, superseded: true };
        const elapsed = watch ? now() - watch.startedAt : 0;
        let reason: LineFailure = elapsed >= connectTimeoutMs * 0.9 ? 'timeout' : 'unreachable';
        if (!watch?.opened && deps.diagnoseConnectFailure) {
          const diagnosis = await deps.diagnoseConnectFailure(config.server).catch(() => null);
          if (diagnosis === 'tls') reason = 'tls';
        }
        return { ok: false, reason, statusCode: null };
      }
      if (gen !== generation) return { ok: false, superseded: true };
      // RFC 7118: a SIP server agrees the `sip` subprotocol. Anything else is not a SIP server.
      // Read from the socket itself: in Chromium the promise above settles (microtasks run between
      // event listeners) before the watch's own 'open' listener has recorded the protocol.
      if (watch && (ws?.protocol ?? watch.protocol) !== 'sip') return { ok: false, reason: 'not-sip', statusCode: null };
    }
    await disposeRegisterer();
    if (gen !== generation) return { ok: false, superseded: true };
    phase = 'registering';
    return register(agent, gen);
  }

  function register(agent: UserAgent, gen: number): Promise<Outcome> {
    const current = new Registerer(agent, {
      expires: config.registerExpiresSec ?? 300,
      // Refresh with room to spare (sip.js's default of 99 % leaves seconds).
      refreshFrequency: 85,
      logConfiguration: false,
    });
    registerer = current;
    const watch = socket;
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (watch) watch.onGarbage = null;
        if (registeringLost === lost) registeringLost = null;
        resolve(outcome);
      };
      const failWith = (reason: LineFailure, statusCode: number | null = null): void => finish({ ok: false, reason, statusCode });
      const timer = setTimeout(() => failWith('timeout'), registerTimeoutMs);
      const lost = (): void => failWith('unreachable');
      registeringLost = lost;
      if (watch?.garbage) failWith('not-sip');
      else if (watch) watch.onGarbage = () => failWith('not-sip');

      current.stateChange.addListener((next) => {
        if (current !== registerer) return;
        if (next === RegistererState.Registered) {
          finish({ ok: true });
          return;
        }
        // A refresh that failed later (the Registerer went Unregistered on its own): register afresh.
        if (settled && gen === generation && phase === 'up' && wanted && next !== RegistererState.Initial) {
          log('registration lost');
          phase = 'idle';
          generation += 1;
          void fail('rejected', null);
        }
      });
      current
        .register({
          requestDelegate: {
            onReject: (response) => {
              const code = response.message.statusCode ?? 0;
              failWith(code === 401 || code === 403 || code === 407 ? 'auth' : code === 408 ? 'timeout' : 'rejected', code);
            },
          },
        })
        .catch(() => failWith('unreachable'));
    });
  }

  /** Records a failed attempt: final failures stop, others retry after a back-off. */
  async function fail(reason: LineFailure, statusCode: number | null): Promise<void> {
    phase = 'idle';
    log(`registration failed: ${reason}${statusCode ? ` (${statusCode})` : ''}`);
    if (reason === 'rejected') {
      await disposeRegisterer();
    } else {
      // A server that answered nonsense, refused us or stopped answering: start from a fresh socket.
      // Closed first, so the old Registerer (which may still wait for an answer that will never
      // come) cannot send anything more and need not be waited for.
      await closeTransport();
      void disposeRegisterer();
    }
    if (!wanted) return;
    if (FINAL_FAILURES.has(reason)) {
      wanted = false;
      setRegistration('failed', reason, statusCode);
      return;
    }
    const delay = backoffDelay(failures, random);
    failures += 1;
    setRegistration('connecting', reason, statusCode, now() + delay);
    clearRetry();
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void attempt();
    }, delay);
  }

  function onTransportDown(error: Error | undefined): void {
    disarmKeepAlive();
    if (closingOnPurpose || !wanted) return;
    if (phase === 'registering') {
      registeringLost?.();
      return;
    }
    // While connecting, the attempt sees its own failure; while idle, a retry is already due.
    if (phase !== 'up') return;
    log(error ? 'connection lost' : 'connection closed');
    if (calls.some((c) => c.live)) mediaRestartDue = true;
    generation += 1;
    void fail('unreachable', null);
  }

  async function disposeRegisterer(): Promise<void> {
    const current = registerer;
    registerer = undefined;
    if (!current) return;
    // The old Registerer's un-REGISTER must be over before a new REGISTER for the same contact, or
    // it would remove the new binding. With the transport down it fails at once.
    await withTimeout(current.dispose(), DISPOSE_TIMEOUT_MS).catch(() => undefined);
  }

  function armKeepAlive(): void {
    disarmKeepAlive();
    const agent = ua;
    const watch = socket;
    if (!agent || !watch) return;
    const current = startKeepAlive({
      send: () => void agent.transport.send('\r\n\r\n').catch(() => undefined),
      onDead: () => {
        if (keepAlive !== current || phase !== 'up' || !wanted) return;
        // The server answered keep-alives on this socket before: silence now means a dead socket
        // (dropped by a NAT or a load balancer without a word). A call on it has lost its signalling
        // too: start from a fresh socket now rather than at the next REGISTER.
        log('keep-alive unanswered: the connection is dead');
        disarmKeepAlive();
        generation += 1;
        phase = 'idle';
        setRegistration('connecting', 'unreachable', null, now());
        void (async () => {
          await disposeRegisterer();
          await closeTransport();
          failures = 0;
          await attempt();
        })();
      },
    });
    watch.onTraffic = (kind) => current.heard(kind);
    keepAlive = current;
  }

  function disarmKeepAlive(): void {
    keepAlive?.stop();
    keepAlive = null;
    if (socket) socket.onTraffic = null;
  }

  async function closeTransport(): Promise<void> {
    disarmKeepAlive();
    if (!ua || !ua.isConnected()) return;
    closingOnPurpose = true;
    try {
      await withTimeout(ua.transport.disconnect(), DISPOSE_TIMEOUT_MS).catch(() => undefined);
    } finally {
      closingOnPurpose = false;
    }
  }

  function clearRetry(): void {
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
  }

  /** The network is back or the OS woke up: don't wait for the back-off, check now. */
  function recheck(): void {
    if (!wanted || inFlight) return;
    if (phase === 'up') {
      // After sleep the socket may be dead without knowing it. With no call up, start from a fresh
      // socket; with a call up, keep its signalling path and only register afresh (a dead socket
      // then times out and the normal retry takes over).
      const busy = calls.some((c) => c.live);
      generation += 1;
      phase = 'idle';
      void (async () => {
        if (!busy) {
          await disposeRegisterer();
          await closeTransport();
        }
        failures = 0;
        await attempt();
      })();
      return;
    }
    failures = 0;
    void attempt();
  }

  function onOnline(): void {
    // Another network (Wi-Fi to cable, a VPN, a new address): the calls' media paths may be dead.
    if (calls.some((c) => c.info.state === 'active' || c.info.state === 'held')) mediaRestartDue = true;
    recheck();
  }

  /** ICE restart for every connected call, now that signalling is known to work again. */
  function restartCallMedia(): void {
    mediaRestartDue = false;
    for (const call of calls) {
      if (call.info.state !== 'active' && call.info.state !== 'held') continue;
      void call.restartMedia().catch((error: unknown) => log(`media: ICE restart failed (${error instanceof Error ? error.message : 'unknown'})`));
    }
  }

  async function disconnect(): Promise<void> {
    wanted = false;
    disarmKeepAlive();
    generation += 1;
    clearRetry();
    onlineEvents?.removeEventListener('online', onOnline);
    const agent = ua;
    ua = undefined;
    for (const call of calls) {
      if (call.live) call.lineDown();
    }
    await Promise.all(monitors.map((m) => withTimeout(m.stop(), DISPOSE_TIMEOUT_MS).catch(() => undefined)));
    if (agent) {
      await Promise.all(calls.filter((c) => c.live).map((c) => withTimeout(c.hangup(), DISPOSE_TIMEOUT_MS).catch(() => undefined)));
      await disposeRegisterer();
      closingOnPurpose = true;
      try {
        await withTimeout(agent.stop(), STOP_TIMEOUT_MS).catch(() => undefined);
      } finally {
        closingOnPurpose = false;
      }
    }
    phase = 'idle';
    socket = null;
    setRegistration('offline');
  }

  return {
    get state() {
      return state;
    },
    get calls(): readonly Call[] {
      return calls;
    },
    call(id) {
      return calls.find((c) => c.id === id);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect,
    disconnect,
    resumed: recheck,
    sendFloorMessage,
    onFloorMessage(listener) {
      floorListeners.add(listener);
      return () => floorListeners.delete(listener);
    },
    get monitors(): readonly Monitor[] {
      return monitors;
    },
    monitor(id) {
      return monitors.find((m) => m.id === id);
    },
    startMonitor,
  };
}

function defaultOnlineEvents(): OnlineEvents | undefined {
  const target = globalThis as Partial<OnlineEvents>;
  return typeof target.addEventListener === 'function' && typeof target.removeEventListener === 'function'
    ? (target as OnlineEvents)
    : undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error('failed'));
      },
    );
  });
}

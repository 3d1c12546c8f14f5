/**
 * The line and call model the desk UI observes. sip.js stays behind it: the UI sees registration
 * states with plain reasons, and calls with a handful of states and operator-level actions.
 */
import type { SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js';
import type { DidSource } from '../../../shared/line/dialled-number.js';
import type { CallerText } from '../../../shared/line/caller.js';
import type { LineLogSink } from './redacting-logger.js';

/** An ICE server (same shape as the DOM's RTCIceServer, without needing DOM types here). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** What an operator pairs: the server, the account and how the desk behaves on the line. */
export interface LineConfig {
  /** SIP over WebSocket server: `wss://…`; `ws://` only to 127.0.0.1, localhost or [::1]. */
  server: string;
  /** The account's SIP address of record, e.g. `sip:desk12@pbx.example.jp`. */
  aor: string;
  /** Digest authentication user (often the AOR's user). */
  authUser: string;
  password: string;
  displayName?: string;
  /** ICE servers for media; none by default (never a public STUN server unless configured). */
  iceServers?: IceServer[];
  /** Calls a desk holds at once (ringing, active or held); more get 486 Busy Here. Default 2. */
  maxCalls?: number;
  /** How DTMF digits are sent: RFC 4733 in the media (default) or SIP INFO. */
  dtmfMode?: 'rfc4733' | 'info';
  /** Where the dialled number is read from, in order. Default: X-Called-Number, P-Called-Party-ID, Diversion, To. */
  didSources?: DidSource[];
  /** REGISTER expiry asked of the server, seconds (default 300); sip.js refreshes before it. */
  registerExpiresSec?: number;
  /** Give up opening the WebSocket after this long (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Give up waiting for the REGISTER answer after this long (default 8000 ms). */
  registerTimeoutMs?: number;
  /** ICE gathering limit for the WebRTC handler (default 2000 ms). */
  iceGatheringTimeoutMs?: number;
  /** INVITEs accepted per second before the excess is answered 486 (default 20). */
  maxInvitesPerSecond?: number;
}

/** Where the line stands with its server. */
export type Registration = 'offline' | 'connecting' | 'registered' | 'failed';

/**
 * Why the line is not registered, in the operator's terms:
 * - `auth`: the server refused the password or user (401/403).
 * - `unreachable`: no WebSocket could be opened, or it dropped.
 * - `timeout`: the socket or the REGISTER got no answer in time.
 * - `tls`: the secure connection failed (reported by the platform's diagnosis; a page cannot see it).
 * - `not-sip`: something answered, but not SIP over WebSocket.
 * - `bad-url`: the server URL is malformed or `ws://` to a host that is not this machine.
 * - `bad-config`: the SIP address or user is unusable.
 * - `rejected`: the server answered REGISTER with another failure (see statusCode).
 */
export type LineFailure = 'auth' | 'unreachable' | 'timeout' | 'tls' | 'not-sip' | 'bad-url' | 'bad-config' | 'rejected';

/** Failures that another automatic attempt cannot fix: the operator must change something. */
export const FINAL_FAILURES: ReadonlySet<LineFailure> = new Set<LineFailure>(['auth', 'bad-url', 'bad-config', 'not-sip', 'tls']);

/** A snapshot of the line; a new object on every change (suits React's useSyncExternalStore). */
export interface LineState {
  readonly registration: Registration;
  /** Why the last attempt failed: set when `failed`, and while `connecting` again after a failure. */
  readonly reason: LineFailure | null;
  /** The SIP status behind `auth` or `rejected`, else null. */
  readonly statusCode: number | null;
  /** When the next automatic attempt is due (deps.now() clock), or null. */
  readonly retryAt: number | null;
  readonly calls: readonly CallInfo[];
  /** Listen / whisper / barge sessions (never calls: not counted, never offered, never rung). */
  readonly monitors: readonly MonitorInfo[];
}

export type CallDirection = 'incoming' | 'outgoing';
export type CallState = 'ringing' | 'active' | 'held' | 'ended';

/**
 * Why a call ended:
 * - `cancelled`: the caller gave up before it was answered (CANCEL).
 * - `answered-elsewhere`: another phone of a ring group answered it (CANCEL with Reason cause=200, RFC 3326).
 * - `remote-hangup`: the far end hung up (BYE).
 * - `local-hangup`: the operator hung up (or cancelled an outgoing call).
 * - `declined`: the operator declined it (486 or 603).
 * - `rejected`: an outgoing call was refused (see endStatusCode).
 * - `no-answer`: nobody answered in time.
 * - `transferred`: the caller was handed to someone else (blind or attended transfer).
 * - `media`: the session description could not be accepted (488).
 * - `line-down`: the line was disconnected.
 * - `failed`: anything else.
 */
export type CallEndReason =
  | 'cancelled'
  | 'answered-elsewhere'
  | 'remote-hangup'
  | 'local-hangup'
  | 'declined'
  | 'rejected'
  | 'no-answer'
  | 'transferred'
  | 'media'
  | 'line-down'
  | 'failed';

/** A snapshot of one call; a new object on every change. */
export interface CallInfo {
  readonly id: string;
  /**
   * The floor's opaque name for this call (floor/call-ref.ts): reported in desk states and named by
   * the monitor requests that target it. Never the caller's number nor the SIP Call-ID.
   */
  readonly ref: string;
  readonly direction: CallDirection;
  readonly state: CallState;
  /** The dialled number (E.164 when it could be normalised); null when no source held one. */
  readonly did: string | null;
  readonly didSource: DidSource | null;
  /** What was wrong with the dialled-number headers (for a warning); no values inside. */
  readonly didProblems: readonly string[];
  /** Hostile text, already made safe; render as text only. Empty for outgoing calls. */
  readonly caller: CallerText;
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  readonly endReason: CallEndReason | null;
  /** The SIP status behind `rejected`/`declined`, else null. */
  readonly endStatusCode: number | null;
  readonly muted: boolean;
  /** A hold or resume re-INVITE is in flight (the state changes only when it succeeds). */
  readonly holdPending: boolean;
  /** For a consultation call: the id of the call being transferred. */
  readonly consultFor: string | null;
  /** For a call being transferred attended: the id of its consultation call. */
  readonly consultation: string | null;
  /**
   * The call's media path is down (ICE or DTLS disconnected or failed): whatever either side says,
   * nobody hears it. Back to false once the path recovers (by itself or after an ICE restart).
   */
  readonly noAudio: boolean;
}

/** A DTMF digit. */
export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** How to answer a call. */
export interface AnswerOptions {
  /** The microphone to answer with (a device id); '' or absent = the system default. */
  microphone?: string;
}

/** The operator's handle on one call. Actions reject with an Error when the call's state forbids them. */
export interface Call {
  readonly id: string;
  /** The current snapshot. */
  readonly info: CallInfo;
  /**
   * The session's media handler once it exists, for the platform's audio wiring (in the app a
   * sip.js `Web.SessionDescriptionHandler`: remote stream, peer connection, output device).
   */
  readonly sessionDescriptionHandler: SessionDescriptionHandler | undefined;
  /**
   * Answers a ringing incoming call; an active call is put on hold first (call waiting). With WebRTC
   * media the microphone is opened first: if it cannot be, this rejects with a `MicrophoneError`
   * (line/microphone.ts) and the call still rings — nothing was sent. Resolves without answering
   * when the caller gave up meanwhile (the call's state then says so).
   */
  answer(options?: AnswerOptions): Promise<void>;
  /** Declines a ringing incoming call with 486 Busy Here (default) or 603 Decline. */
  decline(statusCode?: 486 | 603): Promise<void>;
  /** Ends the call in whatever way its state allows (BYE, CANCEL or 603). */
  hangup(): Promise<void>;
  /** Holds the call (re-INVITE); resolves when the far end accepted, state `held` from then on. */
  hold(): Promise<void>;
  /** Resumes a held call (re-INVITE); state `active` only once accepted. */
  resume(): Promise<void>;
  /** Mutes or unmutes the microphone (in the session description handler; no signalling). */
  setMuted(muted: boolean): void;
  /** Sends one DTMF digit, RFC 4733 or SIP INFO per the line's `dtmfMode`. */
  sendDtmf(digit: string): Promise<void>;
  /**
   * Blind transfer: REFER the far end to `target` (a user of the line's domain or a `sip:` URI),
   * then hang up. The target is never part of any snapshot.
   */
  blindTransfer(target: string): Promise<void>;
  /** Attended transfer, step one: hold this call and call `target`; resolves with the consultation call. */
  consult(target: string, options?: { microphone?: string }): Promise<Call>;
  /** Attended transfer, step two: REFER this call's far end to the consulted party, with Replaces. */
  completeTransfer(): Promise<void>;
  /**
   * Re-INVITE with an ICE restart (fresh candidates and credentials): after a network change the old
   * media path may be dead while the call's dialog is fine. Does nothing unless the call is connected
   * and no other re-INVITE is in flight; resolves when the far end accepted.
   */
  restartMedia(): Promise<void>;
  /** Drops an ended call from the line's list (the UI is done with it). */
  dismiss(): void;
}

/** Dependencies the platform provides; tests pass a stub session description handler. */
export interface LineDeps {
  /** WebRTC media by default (sip.js's web handler); Node tests pass a signalling-only stub. */
  sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory;
  /** Clock for timestamps and rate limits (default Date.now). */
  now?: () => number;
  /** Randomness for back-off jitter (default Math.random). */
  random?: () => number;
  /** Where `online` events come from (the page's window); none by default outside a page. */
  onlineEvents?: OnlineEvents;
  /** Redacted log lines (sip.js's and the line's own). Dropped by default. */
  log?: LineLogSink;
  /**
   * Asked after a connection attempt failed before the socket opened: a page cannot tell a TLS
   * failure from an unreachable server, the platform (main process) can probe and say.
   */
  diagnoseConnectFailure?: (server: string) => Promise<'tls' | null>;
  /** The main process's checks on monitor requests; without it every monitor INVITE gets 403. */
  monitorPort?: MonitorPort;
  /** The operator side's audio mix for a monitor session (default: WebAudio with WebRTC media, none otherwise). */
  monitorMedia?: (call: Call) => MonitorMedia | null;
}

export type MonitorMode = 'listen' | 'whisper' | 'barge';

/**
 * A monitor session (issue 9 §6). `incoming`: a supervisor listens in on a call of this desk (the
 * desk answered by itself after the main process checked the signed request). `outgoing`: this
 * (supervisor) desk listens in on another desk's call.
 */
export interface MonitorInfo {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  /** incoming: the monitored call on this desk; outgoing: null. */
  readonly callId: string | null;
  readonly callRef: string;
  readonly mode: MonitorMode;
  readonly state: 'connecting' | 'active' | 'ended';
  /** incoming: the roster wants the operator told ("監視中"). */
  readonly tellOperator: boolean;
  /** outgoing: the SIP status that refused it (403 when the operator desk's checks failed), else null. */
  readonly endStatusCode: number | null;
}

/** The verdict of the main process on a monitor request (shared/ipc/monitor-contract.ts). */
export type MonitorCheck =
  | { ok: true; sessionId: string; mode: MonitorMode; callRef: string; tellOperator: boolean }
  | { ok: false; reason: string };

/** The operator desk's checks, done by the main process (it holds the roster and the audit trail). */
export interface MonitorPort {
  check(args: { token: string | null; from: string; liveCallRefs: string[]; sessionId?: string }): Promise<MonitorCheck>;
  ended(args: { sessionId: string; cause: 'call-ended' | 'supervisor-left' }): Promise<unknown>;
}

/** The operator desk's audio mix for one monitor session (floor/monitor-mix.ts in the app). */
export interface MonitorMedia {
  /** What the supervisor is sent (caller + operator); handed to the session before it is answered. */
  readonly toSupervisor: MediaStream | null;
  /** The session is up: its media handler carries the supervisor's audio. */
  attach(handler: SessionDescriptionHandler | undefined): void;
  /** Re-routes who hears the supervisor; no renegotiation. */
  setMode(mode: MonitorMode): void;
  /**
   * Follows the call: muted cuts only the operator's voice to the caller; held sends the caller
   * nothing (as sip.js's hold does without a mix).
   */
  follow(call: { muted: boolean; held: boolean }): void;
  /** Puts the call back as it was before the session. */
  close(): void;
}

/** One monitor session's handle. */
export interface Monitor {
  readonly id: string;
  readonly info: MonitorInfo;
  readonly sessionDescriptionHandler: SessionDescriptionHandler | undefined;
  /** outgoing only: a new signed token for the new mode, sent in a SIP INFO (no new INVITE). */
  setMode(mode: MonitorMode, token: string): Promise<void>;
  /** Ends the session (BYE, or CANCEL while connecting). */
  stop(): Promise<void>;
}

/** The part of `window` the line listens to. */
export interface OnlineEvents {
  addEventListener(type: 'online', listener: () => void): void;
  removeEventListener(type: 'online', listener: () => void): void;
}

/** A desk's SIP line. */
export interface Line {
  /** The current snapshot. */
  readonly state: LineState;
  /** Handles for the calls in `state.calls`, same order. */
  readonly calls: readonly Call[];
  /** The handle for a call id, if the line still holds it. */
  call(id: string): Call | undefined;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (state: LineState) => void): () => void;
  /**
   * Validates the configuration, connects and registers. Resolves with the state after the first
   * attempt settled (`registered`, `failed`, or `connecting` with a reason and a retry due); never rejects.
   */
  connect(): Promise<LineState>;
  /** Ends calls, unregisters and closes the connection; no more automatic attempts. */
  disconnect(): Promise<void>;
  /** The platform calls this when the OS resumed from sleep: re-check the connection at once. */
  resumed(): void;
  /** Handles for the sessions in `state.monitors`, same order. */
  readonly monitors: readonly Monitor[];
  monitor(id: string): Monitor | undefined;
  /**
   * Supervisor desk: calls the operator desk `target` (its roster SIP URI) with the signed monitor
   * request `token`. Resolves once the INVITE went out; the session's state tells the rest.
   */
  startMonitor(args: { target: string; token: string; callRef: string; mode: MonitorMode; microphone?: string }): Promise<Monitor>;
  /**
   * Sends a floor token (issue 9) in a SIP MESSAGE to a roster desk's `sip:` URI; rejects when not
   * registered. `answered`: settles on the final response instead, rejecting when the desk did not
   * take it (not registered, no answer): a clearance command (issue 10 §4) learns the desk is offline.
   */
  sendFloorMessage(to: string, body: string, opts?: { answered?: boolean }): Promise<void>;
  /**
   * Calls `listener` with each floor MESSAGE that arrives (unchecked: the main process checks it).
   * Without a listener floor MESSAGEs are answered 480; other MESSAGEs always 415.
   */
  onFloorMessage(listener: (message: FloorMessageIn) => void): () => void;
}

/** A floor MESSAGE as it arrived: its body (a token) and the From it claims (not trusted). */
export interface FloorMessageIn {
  from: string;
  body: string;
}

/**
 * One call on the line: a sip.js session (an incoming Invitation or an outgoing Inviter) seen as the
 * operator sees it — ringing, active, held, ended with a reason — with the actions a professional
 * softphone offers. States change only on what the network confirmed: `held` after the re-INVITE
 * was accepted, `active` after the 200 OK.
 */
import {
  Invitation,
  Inviter,
  SessionState,
  URI,
  type Core,
  type Session,
  type SessionDescriptionHandler,
  type Web,
} from 'sip.js';
import type { CallerText } from '../../../shared/line/caller.js';
import type { DidSource } from '../../../shared/line/dialled-number.js';
import { newCallRef } from '../floor/call-ref.js';
import { mediaRefused } from './media-guard.js';
import { MAX_AUTOMATIC_ICE_RESTARTS, NO_AUDIO_GRACE_MS, mediaFailed, mediaInterrupted, watchMediaStates } from './media-health.js';
import { MicrophoneError, prepareMicrophone, releaseMicrophone } from './microphone.js';
import type { AnswerOptions, Call, CallDirection, CallEndReason, CallInfo, DtmfDigit } from './types.js';

/** What a call needs from its line. */
export interface CallContext {
  now(): number;
  dtmfMode: 'rfc4733' | 'info';
  /** Re-publishes the line's snapshot after a call changed. */
  changed(): void;
  /**
   * Opens the microphone for a call about to be answered, or throws a MicrophoneError; null when
   * the line's media handler has no microphone (a signalling-only handler in Node tests).
   */
  openMicrophone: ((deviceId: string) => Promise<MediaStream>) | null;
  /** Puts every other active call on hold (call waiting: answering one holds the other). */
  holdOthers(except: CallImpl): Promise<void>;
  /**
   * Places an outgoing consultation call on the given microphone ('' = the system default); a
   * microphone that cannot be opened throws a MicrophoneError before anything is sent.
   */
  dial(target: string, consultFor: CallImpl, microphone: string): Promise<CallImpl>;
  /** Turns an operator-level target (a user of the domain or a `sip:` URI) into a URI; throws if unusable. */
  targetUri(target: string): URI;
  /** Drops an ended call from the line. */
  remove(call: CallImpl): void;
  log(message: string): void;
}

/** Details of an incoming call read from its INVITE. */
export interface IncomingDetails {
  did: string | null;
  didSource: DidSource | null;
  didProblems: string[];
  caller: CallerText;
}

const DTMF = /^[0-9*#A-D]$/;
/** A digit's tone and the silence after it, in the media (RFC 4733), as Browser-Phone sends them. */
const DTMF_TONE_MS = 100;
const DTMF_GAP_MS = 70;
/** A far end that never answers a hold or a REFER must not leave a button spinning for ever. */
const REQUEST_TIMEOUT_MS = 10_000;
/** If the transfer target never ends the replaced consultation dialog itself, end it. */
const REPLACED_GRACE_MS = 5_000;

let counter = 0;

/** The line's implementation of {@link Call}. */
export class CallImpl implements Call {
  readonly id: string;
  private snapshot: CallInfo;
  private pendingEnd: { reason: CallEndReason; statusCode: number | null } | null = null;
  private rejectedStatus: number | null = null;
  private consultCall: CallImpl | null = null;
  /** Whether the dialog is confirmed: our 200 OK was ACKed (an outgoing call confirms on its own ACK). */
  private acked: boolean;
  private ackWaiters: (() => void)[] = [];
  /** An answer is in progress (opening the microphone, holding the other call, accepting). */
  private answering = false;
  /**
   * Digits are playing in the media (RFC 4733): the microphone is held silent meanwhile, so the far
   * end's tone detector hears the tones alone, not mixed with the operator's voice or room (see sendDtmf).
   */
  private dtmfQuiet: { timer: ReturnType<typeof setTimeout>; stop: () => void } | null = null;
  /**
   * On hold (or being put on hold): the microphone is not sent. `a=sendonly` alone leaves the track
   * sending, and a server that relays media (rtpengine, a PBX) plays it to the held caller — the
   * operator's consultation with staff included. Silent from the moment hold is asked for, sent again
   * only once the resume is accepted (as sip.js's SessionManager does).
   */
  private silentForHold = false;
  /** Stops following the peer connection's states (media-health.ts); set once the call is established. */
  private stopMediaWatch: (() => void) | null = null;
  /** An ICE restart re-INVITE in flight (a hold or resume waits for it to settle; another restart is not sent). */
  private mediaRestart: Promise<void> | null = null;
  /** ICE restarts asked for by the call itself after a failure (bounded). */
  private automaticRestarts = 0;
  /** The media path went down: `noAudio` is published when this fires (NO_AUDIO_GRACE_MS). */
  private noAudioTimer: ReturnType<typeof setTimeout> | null = null;

  private constructor(
    readonly session: Session,
    private readonly ctx: CallContext,
    direction: CallDirection,
    details: IncomingDetails,
    consultFor: string | null,
  ) {
    this.acked = direction === 'outgoing';
    counter += 1;
    this.id = `call-${counter.toString(36)}-${randomSuffix()}`;
    this.snapshot = Object.freeze({
      id: this.id,
      ref: newCallRef(),
      direction,
      state: 'ringing',
      did: details.did,
      didSource: details.didSource,
      didProblems: Object.freeze([...details.didProblems]),
      caller: Object.freeze({ ...details.caller }),
      startedAt: ctx.now(),
      answeredAt: null,
      endedAt: null,
      endReason: null,
      endStatusCode: null,
      muted: false,
      holdPending: false,
      consultFor,
      consultation: null,
      noAudio: false,
    } satisfies CallInfo);
    session.stateChange.addListener((state) => this.onSessionState(state));
    session.delegate = {
      onAck: () => this.confirmed(),
      onCancel: (cancel) => this.endWith(answeredElsewhere(cancel.request.getHeaders('reason')) ? 'answered-elsewhere' : 'cancelled'),
      onBye: (bye) => {
        this.endWith(this.pendingEnd?.reason === 'transferred' ? 'transferred' : 'remote-hangup');
        void bye.accept().catch(() => undefined);
      },
      // NOTIFYs report the progress of our REFER; the outcome is not waited for (see blindTransfer).
      onNotify: (notification) => void notification.accept().catch(() => undefined),
      // A far end does not get to make the desk dial somewhere else.
      onRefer: (referral) => void referral.reject({ statusCode: 603 }).catch(() => undefined),
      onInfo: (info) => void info.accept().catch(() => undefined),
    };
  }

  /** A call for an INVITE that passed the gate. */
  static incoming(invitation: Invitation, ctx: CallContext, details: IncomingDetails): CallImpl {
    return new CallImpl(invitation, ctx, 'incoming', details, null);
  }

  /** A call for an INVITE the desk is about to send. */
  static outgoing(inviter: Inviter, ctx: CallContext, consultFor: string | null): CallImpl {
    return new CallImpl(inviter, ctx, 'outgoing', { did: null, didSource: null, didProblems: [], caller: { name: '', number: '' } }, consultFor);
  }

  get info(): CallInfo {
    return this.snapshot;
  }

  get sessionDescriptionHandler(): SessionDescriptionHandler | undefined {
    return this.session.sessionDescriptionHandler;
  }

  /** Whether the call still occupies the desk. */
  get live(): boolean {
    return this.snapshot.state !== 'ended';
  }

  /** The outgoing INVITE was refused with this status (set by the line's request delegate). */
  noteRejected(statusCode: number): void {
    this.rejectedStatus = statusCode;
  }

  async answer(options: AnswerOptions = {}): Promise<void> {
    const invitation = this.session;
    if (!(invitation instanceof Invitation) || !this.stillRinging()) {
      throw new Error('only a ringing incoming call can be answered');
    }
    // A second press while the first is opening the microphone: the first answer's outcome stands.
    if (this.answering) return;
    this.answering = true;
    try {
      await this.answerWith(invitation, options);
    } finally {
      this.answering = false;
    }
  }

  private async answerWith(invitation: Invitation, options: AnswerOptions): Promise<void> {
    // The microphone first, while nothing has been sent (see microphone.ts for what sip.js would do).
    // A microphone that is denied, missing or busy fails the answer with a MicrophoneError and the
    // call keeps ringing: an answering service would rather keep the caller ringing — the operator
    // fixes the microphone and answers again, or the caller's PBX rolls the call to another desk —
    // than connect a caller who hears silence and hangs up on a call the PBX counts as answered.
    if (this.ctx.openMicrophone) {
      const stream = await this.ctx.openMicrophone(options.microphone ?? '');
      prepareMicrophone(invitation, stream);
    }
    try {
      // The caller may have given up during a permission prompt: nothing to answer, nothing to report.
      if (!this.stillRinging()) return;
      await this.ctx.holdOthers(this);
      if (!this.stillRinging()) return;
      await invitation.accept({ sessionDescriptionHandlerOptions: holdOptions(false) });
    } catch (error) {
      if (mediaRefused.has(invitation)) this.endWith('media', 488);
      else if (this.live && (invitation.state as SessionState) === SessionState.Terminated) this.endWith('failed');
      throw new Error('the call could not be answered', { cause: error });
    } finally {
      // Taken by the media handler when the answer went out; stopped here when it did not.
      releaseMicrophone(invitation);
    }
  }

  /** A ringing incoming call nobody has started to answer or end. */
  private stillRinging(): boolean {
    return this.snapshot.state === 'ringing' && this.session instanceof Invitation && this.session.state === SessionState.Initial;
  }

  async decline(statusCode: 486 | 603 = 486): Promise<void> {
    const invitation = this.session;
    if (!(invitation instanceof Invitation) || invitation.state !== SessionState.Initial) {
      throw new Error('only a ringing incoming call can be declined');
    }
    if (this.pendingEnd?.reason !== 'line-down') this.pendingEnd = { reason: 'declined', statusCode };
    await invitation.reject({ statusCode });
  }

  async hangup(): Promise<void> {
    const session = this.session;
    switch (session.state) {
      case SessionState.Terminated:
      case SessionState.Terminating:
        return;
      case SessionState.Initial:
        if (session instanceof Invitation) return this.decline(486);
        this.pendingEnd = { reason: 'local-hangup', statusCode: null };
        if (session instanceof Inviter) await session.cancel();
        return;
      case SessionState.Establishing:
        this.pendingEnd = { reason: 'local-hangup', statusCode: null };
        // An outgoing call not yet answered is cancelled; an incoming one being accepted is ended
        // as soon as it is established (see onSessionState).
        if (session instanceof Inviter) await session.cancel();
        return;
      case SessionState.Established:
        this.pendingEnd ??= { reason: 'local-hangup', statusCode: null };
        await session.bye();
        return;
    }
  }

  hold(): Promise<void> {
    return this.reinvite(true);
  }

  resume(): Promise<void> {
    return this.reinvite(false);
  }

  setMuted(muted: boolean): void {
    if (!this.live) return;
    this.snapshot = Object.freeze({ ...this.snapshot, muted });
    this.applySenderTracks();
    this.ctx.changed();
  }

  /**
   * The microphone is sent only when not muted, not (being) held and no digits are playing. Always
   * before the snapshot is published: a monitor session (floor/monitor-mix.ts) follows the published
   * call and has the last word on its mixed track.
   */
  private applySenderTracks(): void {
    const handler = this.session.sessionDescriptionHandler as Partial<Pick<Web.SessionDescriptionHandler, 'enableSenderTracks'>> | undefined;
    // The WebRTC handler mutes by disabling the microphone track; a handler without tracks has nothing to mute.
    if (handler && typeof handler.enableSenderTracks === 'function') handler.enableSenderTracks(!this.snapshot.muted && this.dtmfQuiet === null && !this.silentForHold);
  }

  /**
   * Holds the microphone silent until the DTMF sender has played every queued tone (its `tonechange`
   * with an empty tone), or — should that event never come — for as long as the tones can take plus a
   * second. Found with the far end's detector: a tone that overlaps the operator's audio is overdubbed
   * onto it at the receiver (Chromium's NetEq does so; gateways regenerating RFC 4733 tones do too) and
   * a digit is lost, as IVRs lose digits pressed while the caller speaks.
   */
  private quietWhileDtmf(dtmf: RTCDTMFSender, toneMs: number): void {
    const settle = (): void => {
      if (!this.dtmfQuiet) return;
      clearTimeout(this.dtmfQuiet.timer);
      this.dtmfQuiet.stop();
      this.dtmfQuiet = null;
      if (this.live) {
        this.applySenderTracks();
        this.ctx.changed();
      }
    };
    const limit = (dtmf.toneBuffer.length + 1) * toneMs + 1_000;
    if (this.dtmfQuiet) {
      clearTimeout(this.dtmfQuiet.timer);
      this.dtmfQuiet.timer = setTimeout(settle, limit);
      return;
    }
    const onTone = (event: RTCDTMFToneChangeEvent): void => {
      if (event.tone === '') settle();
    };
    dtmf.addEventListener('tonechange', onTone);
    this.dtmfQuiet = { timer: setTimeout(settle, limit), stop: () => dtmf.removeEventListener('tonechange', onTone) };
    this.applySenderTracks();
    this.ctx.changed();
  }

  async sendDtmf(digit: string): Promise<void> {
    const tone = digit.toUpperCase();
    if (!DTMF.test(tone)) throw new Error('not a DTMF digit');
    if (this.snapshot.state !== 'active') throw new Error('DTMF needs an active call');
    if (this.ctx.dtmfMode === 'info') {
      await this.request('INFO', (requestDelegate) =>
        this.session.info({
          requestDelegate,
          requestOptions: {
            body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${tone as DtmfDigit}\r\nDuration=160\r\n` },
          },
        }),
      );
      return;
    }
    const handler = this.session.sessionDescriptionHandler as (SessionDescriptionHandler & Partial<Pick<Web.SessionDescriptionHandler, 'peerConnection'>>) | undefined;
    // insertDTMF replaces the tones the sender still has queued, so a digit pressed while another
    // plays (170 ms each) would drop the ones waiting: queue it behind them (sip.js uses sender 0).
    const dtmf = handler?.peerConnection?.getSenders()[0]?.dtmf ?? null;
    const queued = dtmf?.toneBuffer ?? '';
    if (!handler || !handler.sendDtmf(queued + tone, { duration: DTMF_TONE_MS, interToneGap: DTMF_GAP_MS })) {
      throw new Error('DTMF could not be sent in the media');
    }
    if (dtmf) this.quietWhileDtmf(dtmf, DTMF_TONE_MS + DTMF_GAP_MS);
  }

  async blindTransfer(target: string): Promise<void> {
    if (this.snapshot.state !== 'active' && this.snapshot.state !== 'held') throw new Error('only a connected call can be transferred');
    const uri = this.ctx.targetUri(target);
    await this.refer(uri);
    // 202 Accepted: the far end is calling the target. An operator's blind transfer frees the desk at
    // once, as desk phones do; the NOTIFYs that follow only report progress.
    this.pendingEnd = { reason: 'transferred', statusCode: null };
    await this.session.bye().catch(() => undefined);
  }

  async consult(target: string, options: { microphone?: string } = {}): Promise<Call> {
    if (this.snapshot.state !== 'active' && this.snapshot.state !== 'held') throw new Error('only a connected call can be transferred');
    if (this.consultCall?.live) throw new Error('a consultation is already in progress');
    const heldHere = this.snapshot.state === 'active';
    if (heldHere) await this.hold();
    let consultation: CallImpl;
    try {
      consultation = await this.ctx.dial(target, this, options.microphone ?? '');
    } catch (error) {
      // No microphone, so no INVITE went out: the caller is taken off hold again at once.
      if (heldHere && error instanceof MicrophoneError) await this.resume().catch(() => undefined);
      throw error;
    }
    this.consultCall = consultation;
    this.update({ consultation: consultation.id });
    return consultation;
  }

  async completeTransfer(): Promise<void> {
    const consultation = this.consultCall;
    if (!consultation?.live || consultation.info.state === 'ringing') throw new Error('the consultation call is not connected');
    if (this.snapshot.state !== 'active' && this.snapshot.state !== 'held') throw new Error('the call to transfer is not connected');
    const dialog = consultation.session.dialog;
    if (!dialog) throw new Error('the consultation call has no dialog');
    // Refer-To is the target's address of record with Replaces, not the dialog's remote target
    // (what sip.js would send): behind a WebSocket proxy that Contact is an unroutable `.invalid`
    // host, while the AOR reaches the target through the proxy like any call.
    const aor = consultation.session.remoteIdentity.uri;
    const replaces = encodeURIComponent(`${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`);
    const referTo = new BracketedUri(aor.scheme, aor.user ?? '', aor.host, aor.port, {}, { Replaces: [replaces] });
    await this.refer(referTo);
    this.pendingEnd = { reason: 'transferred', statusCode: null };
    consultation.pendingEnd = { reason: 'transferred', statusCode: null };
    await this.session.bye().catch(() => undefined);
    // The target ends the replaced consultation dialog itself (RFC 3891); if it does not, we do.
    setTimeout(() => {
      if (consultation.live) void consultation.hangup().catch(() => undefined);
    }, REPLACED_GRACE_MS);
  }

  dismiss(): void {
    if (this.live) return;
    this.ctx.remove(this);
  }

  private confirmed(): void {
    this.acked = true;
    for (const wake of this.ackWaiters.splice(0)) wake();
  }

  /**
   * A re-INVITE, INFO or REFER may only follow once our 200 OK was ACKed (RFC 3261 §14.2); an
   * operator can press Hold faster than the ACK arrives.
   */
  private waitConfirmed(): Promise<void> {
    if (this.acked) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.ackWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Ends the call because the line goes down (the session itself is torn down by the user agent). */
  lineDown(): void {
    this.pendingEnd = { reason: 'line-down', statusCode: null };
  }

  async restartMedia(): Promise<void> {
    const { state, holdPending } = this.snapshot;
    // A hold or resume in flight renegotiates anyway; a second offer now would be glare with our own.
    if ((state !== 'active' && state !== 'held') || holdPending || this.mediaRestart) return;
    this.ctx.log('media: ICE restart');
    // Keeps the call's direction: a held call stays held (sendonly) through the restart.
    const options: Web.SessionDescriptionHandlerOptions = { ...holdOptions(state === 'held'), offerOptions: { iceRestart: true } };
    const restart = this.request('INVITE', (requestDelegate) => this.session.invite({ requestDelegate, sessionDescriptionHandlerOptions: options }));
    this.mediaRestart = restart.then(
      () => undefined,
      () => undefined,
    );
    try {
      await restart;
    } finally {
      this.mediaRestart = null;
    }
  }

  /** Follows the media path once the call is established: `noAudio`, and an ICE restart when ICE gave up. */
  private watchMedia(): void {
    if (this.stopMediaWatch) return;
    const handler = this.session.sessionDescriptionHandler as Partial<Pick<Web.SessionDescriptionHandler, 'peerConnection'>> | undefined;
    const pc = handler?.peerConnection;
    // A signalling-only handler (Node tests) has no media path to watch.
    if (!pc || typeof pc.addEventListener !== 'function') return;
    this.stopMediaWatch = watchMediaStates(pc, (states) => {
      if (!this.live) return;
      if (!mediaInterrupted(states)) {
        this.clearNoAudioTimer();
        if (this.snapshot.noAudio) {
          this.ctx.log('media: back');
          this.update({ noAudio: false });
        }
      } else if (!this.snapshot.noAudio && !this.noAudioTimer) {
        this.noAudioTimer = setTimeout(() => {
          this.noAudioTimer = null;
          if (!this.live) return;
          this.ctx.log('media: interrupted');
          this.update({ noAudio: true });
        }, NO_AUDIO_GRACE_MS);
      }
      if (mediaFailed(states) && !this.mediaRestart && this.automaticRestarts < MAX_AUTOMATIC_ICE_RESTARTS) {
        this.automaticRestarts += 1;
        void this.restartMedia().catch((error: unknown) => this.ctx.log(`media: ICE restart refused (${error instanceof Error ? error.message : 'unknown'})`));
      }
    });
  }

  private clearNoAudioTimer(): void {
    if (this.noAudioTimer) clearTimeout(this.noAudioTimer);
    this.noAudioTimer = null;
  }

  private async reinvite(hold: boolean): Promise<void> {
    const from = hold ? 'active' : 'held';
    if (this.snapshot.state !== from) throw new Error(hold ? 'only an active call can be held' : 'only a held call can be resumed');
    if (this.snapshot.holdPending) throw new Error('a hold or resume is already in progress');
    if (hold) {
      this.silentForHold = true;
      this.applySenderTracks();
    }
    this.update({ holdPending: true });
    try {
      // An ICE restart in flight is one offer already: the hold follows it instead of crossing it (491).
      if (this.mediaRestart) await this.mediaRestart;
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.request('INVITE', (requestDelegate) =>
            this.session.invite({ requestDelegate, sessionDescriptionHandlerOptions: holdOptions(hold) }),
          );
          break;
        } catch (error) {
          // 491 (glare) or 500 (our previous ACK overtaken in the proxy): the far end asks for a
          // retry after a random pause (RFC 3261 §14.1, 0–2 s for the side not owning the Call-ID).
          const status = error instanceof SipStatusError ? error.statusCode : 0;
          if ((status !== 491 && status !== 500) || attempt >= 3 || !this.live) throw error;
          await sleep(100 + Math.floor(Math.random() * 400));
        }
      }
      // Accepted: only now does the operator see the call as held (or active again).
      if (this.live) {
        if (!hold) {
          this.silentForHold = false;
          this.applySenderTracks();
        }
        this.update({ state: hold ? 'held' : 'active', holdPending: false });
      }
    } catch (error) {
      if (this.live) {
        // A refused hold leaves the call active: the caller hears the operator again.
        if (hold) {
          this.silentForHold = false;
          this.applySenderTracks();
        }
        this.update({ holdPending: false });
      }
      throw error;
    }
  }

  private refer(referTo: URI): Promise<void> {
    return this.request('REFER', (requestDelegate) =>
      this.session.refer(referTo, { requestDelegate, onNotify: (notification) => void notification.accept().catch(() => undefined) }),
    );
  }

  /** Sends an in-dialog request and settles on its final response (2xx resolves). */
  private async request(method: string, send: (delegate: Core.OutgoingRequestDelegate) => Promise<unknown>): Promise<void> {
    await this.waitConfirmed();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no final answer`)), REQUEST_TIMEOUT_MS);
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      send({
        onAccept: () => settle(),
        onReject: (response) => settle(new SipStatusError(method, response.message.statusCode ?? 0)),
      }).catch((error: unknown) => settle(error instanceof Error ? error : new Error(`${method} not sent`)));
    });
  }

  private onSessionState(state: SessionState): void {
    if (state === SessionState.Established) {
      if (this.snapshot.state === 'ringing') this.update({ state: 'active', answeredAt: this.ctx.now() });
      this.watchMedia();
      // Hung up while the 200 OK was on its way.
      if (this.pendingEnd?.reason === 'local-hangup') void this.session.bye().catch(() => undefined);
      return;
    }
    if (state !== SessionState.Terminated) return;
    if (this.pendingEnd) return this.endWith(this.pendingEnd.reason, this.pendingEnd.statusCode);
    if (mediaRefused.has(this.session)) return this.endWith('media', 488);
    if (this.snapshot.answeredAt !== null) return this.endWith('remote-hangup');
    if (this.session instanceof Inviter) {
      const status = this.rejectedStatus;
      return this.endWith(status === 408 || status === 480 ? 'no-answer' : 'rejected', status);
    }
    // An incoming call that ended unanswered without a CANCEL: sip.js's no-answer timer (480).
    this.endWith('no-answer', 480);
  }

  private endWith(reason: CallEndReason, statusCode: number | null = null): void {
    if (!this.live) return;
    this.stopMediaWatch?.();
    this.stopMediaWatch = null;
    this.clearNoAudioTimer();
    if (this.dtmfQuiet) {
      clearTimeout(this.dtmfQuiet.timer);
      this.dtmfQuiet.stop();
      this.dtmfQuiet = null;
    }
    this.update({
      state: 'ended',
      endedAt: this.ctx.now(),
      endReason: reason,
      endStatusCode: statusCode ?? this.pendingEnd?.statusCode ?? null,
      holdPending: false,
      noAudio: false,
    });
    this.ctx.log(`call ended: ${reason}`);
  }

  private update(patch: Partial<CallInfo>): void {
    this.snapshot = Object.freeze({ ...this.snapshot, ...patch });
    this.ctx.changed();
  }
}

/** A final non-2xx answer to one of the call's requests. */
export class SipStatusError extends Error {
  constructor(
    method: string,
    readonly statusCode: number,
  ) {
    super(`${method} refused: ${statusCode}`);
    this.name = 'SipStatusError';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * sip.js writes a URI target into Refer-To as it prints; a URI with `?Replaces=` must be in angle
 * brackets there (RFC 3261 §20), so this URI prints itself bracketed.
 */
class BracketedUri extends URI {
  override toString(): string {
    return `<${super.toString()}>`;
  }
}

function holdOptions(hold: boolean): Web.SessionDescriptionHandlerOptions {
  return { hold };
}

function randomSuffix(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A CANCEL's Reason header saying the call was completed elsewhere (RFC 3326: `SIP ;cause=200`, as
 * forking proxies and ring groups send): another phone took it, the caller did not give up.
 * Bounded: a hostile header is looked at for its first 256 characters only.
 */
export function answeredElsewhere(reasons: readonly string[]): boolean {
  return reasons.some((header) =>
    header
      .slice(0, 256)
      .split(',')
      .some((value) => /^\s*SIP\s*;(?:[^;]*;)*\s*cause\s*=\s*200\s*(?:;|$)/i.test(value)),
  );
}

/**
 * Listen / whisper / barge sessions on the line (issue 9 §6). They are sip.js sessions but never
 * calls: they are not counted toward the desk's capacity, never ring, never pop, never offered.
 *
 * - IncomingMonitor (operator desk): a supervisor's INVITE that the main process accepted. Its mode
 *   changes arrive as SIP INFO with a new signed token (checked the same way; 403 if refused), and it
 *   ends when the monitored call ends or the supervisor hangs up.
 * - OutgoingMonitor (supervisor desk): the INVITE carrying header X-Kotozute-Monitor; a mode change is
 *   an INFO with a new token. In listen mode the supervisor's microphone is not sent at all.
 */
import { Invitation, Inviter, SessionState, type Info, type Session, type SessionDescriptionHandler, type Web } from 'sip.js';
import { FLOOR_CONTENT_TYPE } from '../../../shared/floor/wire.js';
import type { Monitor, MonitorInfo, MonitorMedia, MonitorMode, MonitorPort } from './types.js';

/** A main process that does not answer must not leave a supervisor's INVITE or INFO hanging. */
export const MONITOR_CHECK_TIMEOUT_MS = 3000;

export interface MonitorContext {
  changed(): void;
  remove(monitor: Monitor): void;
  log(message: string): void;
}

let counter = 0;
const nextId = (prefix: string): string => `${prefix}-${(counter += 1).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

abstract class MonitorBase implements Monitor {
  readonly id: string;
  protected snapshot: MonitorInfo;

  protected constructor(
    readonly session: Session,
    protected readonly ctx: MonitorContext,
    initial: Omit<MonitorInfo, 'id' | 'state' | 'endStatusCode'>,
  ) {
    this.id = nextId(initial.direction === 'incoming' ? 'mon-in' : 'mon-out');
    this.snapshot = Object.freeze({ id: this.id, state: 'connecting', endStatusCode: null, ...initial });
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) this.update({ state: 'active' });
      if (state === SessionState.Terminated) this.ended();
    });
  }

  get info(): MonitorInfo {
    return this.snapshot;
  }

  get sessionDescriptionHandler(): SessionDescriptionHandler | undefined {
    return this.session.sessionDescriptionHandler;
  }

  get live(): boolean {
    return this.snapshot.state !== 'ended';
  }

  abstract setMode(mode: MonitorMode, token: string): Promise<void>;

  async stop(): Promise<void> {
    const session = this.session;
    switch (session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (session instanceof Inviter) await session.cancel();
        else if (session instanceof Invitation && session.state === SessionState.Initial) await session.reject({ statusCode: 487 });
        return;
      case SessionState.Established:
        await session.bye();
        return;
      default:
        return;
    }
  }

  protected update(patch: Partial<MonitorInfo>): void {
    this.snapshot = Object.freeze({ ...this.snapshot, ...patch });
    this.ctx.changed();
  }

  protected ended(): void {
    if (!this.live) return;
    this.update({ state: 'ended' });
    this.ctx.remove(this);
  }
}

/** The operator desk's side of a monitor session. */
export class IncomingMonitor extends MonitorBase {
  private stopCause: 'call-ended' | 'supervisor-left' = 'supervisor-left';

  constructor(
    private readonly invitation: Invitation,
    ctx: MonitorContext,
    private readonly port: MonitorPort,
    private readonly sessionId: string,
    private readonly media: MonitorMedia | null,
    details: { callId: string; callRef: string; mode: MonitorMode; tellOperator: boolean },
    private readonly liveCallRefs: () => string[],
  ) {
    super(invitation, ctx, { direction: 'incoming', ...details });
    invitation.delegate = {
      onInfo: (info) => void this.onInfo(info),
      onBye: (bye) => void bye.accept().catch(() => undefined),
      // A supervisor does not get to make the operator desk dial anywhere.
      onRefer: (referral) => void referral.reject({ statusCode: 603 }).catch(() => undefined),
    };
  }

  /** Answers by itself (no ring), with the supervisor's mix as what it sends. */
  async answer(): Promise<void> {
    await this.invitation.accept();
    this.media?.attach(this.invitation.sessionDescriptionHandler);
    this.media?.setMode(this.snapshot.mode);
  }

  /** The monitored call's mute and hold, followed by the mix (called on every change of the line). */
  follow(call: { muted: boolean; held: boolean }): void {
    this.media?.follow(call);
  }

  /** The monitored call ended: so does the session. */
  async callEnded(): Promise<void> {
    this.stopCause = 'call-ended';
    await this.stop().catch(() => undefined);
    // A session never established ends here too (its INVITE may still be unanswered).
    this.ended();
  }

  private async onInfo(info: Info): Promise<void> {
    const request = info.request;
    const type = (request.getHeader('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== FLOOR_CONTENT_TYPE) {
      await info.reject({ statusCode: 415 }).catch(() => undefined);
      return;
    }
    const verdict = await withTimeout(
      this.port.check({ token: request.body ?? null, from: request.from.uri.toString(), liveCallRefs: this.liveCallRefs(), sessionId: this.sessionId }),
      MONITOR_CHECK_TIMEOUT_MS,
    ).catch(() => null);
    if (!verdict?.ok || verdict.callRef !== this.snapshot.callRef) {
      this.ctx.log(`monitor mode change refused: ${verdict && !verdict.ok ? verdict.reason : 'no verdict'} (403)`);
      await info.reject({ statusCode: 403 }).catch(() => undefined);
      return;
    }
    this.media?.setMode(verdict.mode);
    this.update({ mode: verdict.mode, tellOperator: verdict.tellOperator });
    await info.accept().catch(() => undefined);
  }

  /** outgoing only. */
  setMode(): Promise<void> {
    return Promise.reject(new Error('the mode of an incoming monitor session is the supervisor’s to change'));
  }

  protected override ended(): void {
    if (!this.live) return;
    this.media?.close();
    void this.port.ended({ sessionId: this.sessionId, cause: this.stopCause }).catch(() => undefined);
    super.ended();
  }
}

/** The supervisor desk's side of a monitor session. */
export class OutgoingMonitor extends MonitorBase {
  constructor(
    private readonly inviter: Inviter,
    ctx: MonitorContext,
    details: { callRef: string; mode: MonitorMode },
  ) {
    super(inviter, ctx, { direction: 'outgoing', callId: null, tellOperator: false, ...details });
    inviter.delegate = {
      onBye: (bye) => void bye.accept().catch(() => undefined),
      onInfo: (info) => void info.reject({ statusCode: 403 }).catch(() => undefined),
      onRefer: (referral) => void referral.reject({ statusCode: 603 }).catch(() => undefined),
    };
    inviter.stateChange.addListener((state) => {
      if (state === SessionState.Established) this.applyMode(this.snapshot.mode);
    });
  }

  noteRejected(statusCode: number): void {
    this.update({ endStatusCode: statusCode });
  }

  async setMode(mode: MonitorMode, token: string): Promise<void> {
    if (this.inviter.state !== SessionState.Established) throw new Error('the monitor session is not up');
    let status = 0;
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        this.inviter
          .info({
            requestOptions: { body: { contentDisposition: 'render', contentType: FLOOR_CONTENT_TYPE, content: token } },
            requestDelegate: {
              onAccept: () => resolve(),
              onReject: (response) => {
                status = response.message.statusCode ?? 0;
                reject(new Error(`the operator desk refused the mode change (${status})`));
              },
            },
          })
          .catch(reject);
      }),
      10_000,
    );
    this.applyMode(mode);
    this.update({ mode });
  }

  /** In listen mode nothing of the supervisor is sent (the operator desk's mix silences it too). */
  private applyMode(mode: MonitorMode): void {
    const handler = this.inviter.sessionDescriptionHandler as Partial<Pick<Web.SessionDescriptionHandler, 'enableSenderTracks'>> | undefined;
    if (handler && typeof handler.enableSenderTracks === 'function') handler.enableSenderTracks(mode !== 'listen');
  }
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

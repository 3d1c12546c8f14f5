/**
 * A small WebRTC phone for the end-to-end calls: a sip.js UserAgent in a second Chromium page that
 * plays the caller (or the staff member a call is transferred to). Bundled with esbuild when the
 * test starts (serve.ts) and driven by the test through `window.phone`. It behaves as a phone does:
 * follows a REFER (the transferee's part), takes over a dialog named in Replaces, answers DTMF INFO,
 * and on request listens for RFC 4733 DTMF in the audio it receives.
 */
import { Invitation, Inviter, Registerer, RegistererState, SessionState, UserAgent, type Session } from 'sip.js';
import { listenForDtmf, type DtmfListener } from '../dtmf-detector.js';

export interface PhoneOptions {
  wsUrl: string;
  user: string;
  password: string;
  domain: string;
  displayName: string;
  /** Answer incoming calls at once (the staff member's phone). */
  autoAnswer: boolean;
}

export interface PhoneSession {
  id: string;
  direction: 'in' | 'out';
  state: string;
  fromUser: string;
  replaces: boolean;
  /** Final status of a refused outgoing INVITE. */
  rejected: number | null;
  /** Bodies of the INFO requests received (DTMF relay). */
  infos: string[];
}

interface Tracked {
  view: PhoneSession;
  session: Session;
  /** Set once the test asks the phone to listen for DTMF in the received audio. */
  dtmf?: DtmfListener;
}

const tracked: Tracked[] = [];
let ua: UserAgent | undefined;
let registerer: Registerer | undefined;
let options: PhoneOptions | undefined;

function setStatus(text: string): void {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
}

function track(session: Session, direction: 'in' | 'out', fromUser: string, replaces: boolean): Tracked {
  const t: Tracked = {
    session,
    view: { id: session.id, direction, state: session.state, fromUser, replaces, rejected: null, infos: [] },
  };
  tracked.push(t);
  session.stateChange.addListener((state) => {
    t.view.state = state;
    if (state === SessionState.Established) attachAudio(session);
  });
  session.delegate = {
    onInfo: (info) => {
      t.view.infos.push(info.request.body ?? '');
      void info.accept();
    },
    onRefer: (referral) => {
      // The transferee's part of a transfer: accept and call whom the REFER names.
      void referral.accept().then(() => {
        const inviter = referral.makeInviter({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
        track(inviter, 'out', '', Boolean(referral.replaces));
        return inviter.invite();
      });
    },
  };
  return t;
}

function attachAudio(session: Session): void {
  const handler = session.sessionDescriptionHandler as { remoteMediaStream?: MediaStream } | undefined;
  if (!handler?.remoteMediaStream) return;
  const audio = document.createElement('audio');
  audio.autoplay = true;
  audio.srcObject = handler.remoteMediaStream;
  document.body.append(audio);
}

function onInvite(invitation: Invitation): void {
  const replacesHeader = invitation.request.getHeader('Replaces');
  const t = track(invitation, 'in', invitation.request.from.uri.user ?? '', Boolean(replacesHeader));
  if (!options?.autoAnswer) return;
  void invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } }).then(() => {
    if (!replacesHeader) return;
    // RFC 3891: the dialog named in Replaces is ended by the phone that took the new call over.
    const callId = replacesHeader.split(';')[0]?.trim();
    for (const other of tracked) {
      if (other !== t && other.session.dialog?.callId === callId && other.session.state === SessionState.Established) {
        void other.session.bye();
      }
    }
  });
}

const phone = {
  async start(o: PhoneOptions): Promise<void> {
    options = o;
    const uri = UserAgent.makeURI(`sip:${o.user}@${o.domain}`);
    if (!uri) throw new Error('bad uri');
    ua = new UserAgent({
      uri,
      authorizationUsername: o.user,
      authorizationPassword: o.password,
      displayName: o.displayName,
      transportOptions: { server: o.wsUrl, traceSip: false },
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 500 },
      logBuiltinEnabled: false,
      logLevel: 'error',
      delegate: { onInvite },
    });
    await ua.start();
    registerer = new Registerer(ua, { expires: 300 });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not registered in 8 s')), 8000);
      registerer!.stateChange.addListener((s) => {
        if (s === RegistererState.Registered) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await registerer.register();
    await done;
    setStatus(`registered as ${o.user}`);
  },

  /** Calls a user of the domain with extra header lines; returns the new session's id. */
  async call(target: string, extraHeaders: string[]): Promise<string> {
    if (!ua || !options) throw new Error('not started');
    const uri = UserAgent.makeURI(`sip:${target}@${options.domain}`);
    if (!uri) throw new Error('bad target');
    const inviter = new Inviter(ua, uri, { extraHeaders, sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
    const t = track(inviter, 'out', '', false);
    await inviter.invite({ requestDelegate: { onReject: (r) => (t.view.rejected = r.message.statusCode ?? 0) } });
    return inviter.id;
  },

  sessions(): PhoneSession[] {
    return tracked.map((t) => ({ ...t.view, infos: [...t.view.infos] }));
  },

  /** Ends a session: CANCEL before the answer, BYE after. */
  async hangup(id: string): Promise<void> {
    const t = tracked.find((x) => x.view.id === id);
    if (!t) return;
    const s = t.session;
    if (s instanceof Inviter && (s.state === SessionState.Initial || s.state === SessionState.Establishing)) await s.cancel();
    else if (s.state === SessionState.Established) await s.bye();
  },

  /** RTP bytes of a session's peer connection (audio), from getStats. */
  async rtp(id: string): Promise<{ received: number; sent: number }> {
    const t = tracked.find((x) => x.view.id === id);
    const pc = (t?.session.sessionDescriptionHandler as { peerConnection?: RTCPeerConnection } | undefined)?.peerConnection;
    if (!pc) return { received: 0, sent: 0 };
    return rtpBytes(pc);
  },

  /**
   * Audio energy received on a session so far (inbound-rtp totalAudioEnergy, summed): it rises only
   * while sound arrives — silence and a disabled far-end track add nothing.
   */
  async receivedEnergy(id: string): Promise<number> {
    const t = tracked.find((x) => x.view.id === id);
    const pc = (t?.session.sessionDescriptionHandler as { peerConnection?: RTCPeerConnection } | undefined)?.peerConnection;
    if (!pc) return 0;
    let total = 0;
    (await pc.getStats()).forEach((r: { type?: string; kind?: string; totalAudioEnergy?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') total += r.totalAudioEnergy ?? 0;
    });
    return total;
  },

  /**
   * Cuts a session's media path without telling the far end (no BYE, no re-INVITE): its peer
   * connection is closed, so nothing answers the other side's ICE checks and no RTP flows — what a
   * dead network path or a NAT that dropped its binding looks like from the other end.
   */
  dropMedia(id: string): void {
    const t = tracked.find((x) => x.view.id === id);
    const pc = (t?.session.sessionDescriptionHandler as { peerConnection?: RTCPeerConnection } | undefined)?.peerConnection;
    if (!pc) throw new Error('no session with media');
    pc.close();
  },

  /** Sends a SIP INFO in a session (e.g. a monitor mode change); resolves with the final status. */
  async info(id: string, contentType: string, body: string): Promise<number> {
    const t = tracked.find((x) => x.view.id === id);
    if (!t) throw new Error('no such session');
    return new Promise<number>((resolve, reject) => {
      t.session
        .info({
          requestOptions: { body: { contentDisposition: 'render', contentType, content: body } },
          requestDelegate: { onAccept: () => resolve(200), onReject: (r) => resolve(r.message.statusCode ?? 0) },
        })
        .catch(reject);
    });
  },

  /** The stream a session receives (for spectral checks), or null. */
  received(id: string): MediaStream | null {
    const t = tracked.find((x) => x.view.id === id);
    return (t?.session.sessionDescriptionHandler as { remoteMediaStream?: MediaStream } | undefined)?.remoteMediaStream ?? null;
  },

  /** Starts detecting DTMF digits in the audio received on a session (see ../dtmf-detector.ts). */
  async listenForDtmf(id: string): Promise<void> {
    const t = tracked.find((x) => x.view.id === id);
    const stream = (t?.session.sessionDescriptionHandler as { remoteMediaStream?: MediaStream } | undefined)?.remoteMediaStream;
    if (!t || !stream) throw new Error('no session with received audio');
    if (!t.dtmf) t.dtmf = await listenForDtmf(stream);
  },

  /** What the DTMF detector of a session has heard so far. */
  dtmfHeard(id: string): { digits: string; audibleFrames: number; frames: number; trace: string } {
    const listener = tracked.find((x) => x.view.id === id)?.dtmf;
    if (!listener) throw new Error('not listening for DTMF on this session');
    return listener.heard();
  },

  async stop(): Promise<void> {
    await Promise.all(tracked.map((t) => t.dtmf?.stop().catch(() => undefined)));
    await registerer?.unregister().catch(() => undefined);
    await ua?.stop().catch(() => undefined);
  },
};

/** Inbound and outbound RTP payload bytes over a peer connection's audio streams. */
export async function rtpBytes(pc: RTCPeerConnection): Promise<{ received: number; sent: number }> {
  let received = 0;
  let sent = 0;
  (await pc.getStats()).forEach((report: { type: string; kind?: string; bytesReceived?: number; bytesSent?: number }) => {
    if (report.type === 'inbound-rtp' && report.kind === 'audio') received += report.bytesReceived ?? 0;
    if (report.type === 'outbound-rtp' && report.kind === 'audio') sent += report.bytesSent ?? 0;
  });
  return { received, sent };
}

export type Phone = typeof phone;
(window as unknown as { phone: Phone }).phone = phone;
setStatus('ready');

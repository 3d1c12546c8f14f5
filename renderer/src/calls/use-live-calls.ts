/**
 * The desk's real calls as React state: follows the paired line, asks the main process for a pop
 * when a call rings, rings and notifies, and offers the operator's actions by call id. Every action
 * reports failure through `onError` and never leaves the UI in a state the network did not confirm —
 * except a microphone that cannot be opened, which the call strip shows with its call (`microphone`).
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Pop } from '../../../shared/directory/pop.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import { MicrophoneError, microphoneProblemOf, type MicrophoneProblem } from '../line/microphone.js';
import { warmUpInviteParsing } from '../line/warm-up.js';
import type { Call, CallInfo } from '../line/types.js';
import { loadAudioChoice, saveAudioChoice, switchMicrophone, type AudioChoice } from './audio-devices.js';
import { microphoneDead, watchMicrophone, type MicrophoneWatch } from './microphone-watch.js';
import { afterPaint } from '../ui/after-paint.js';
import { layoutCalls, newlyEnded, type CallLayout } from './call-focus.js';
import { EMPTY_VIEW, watchCallPops } from './call-pops.js';
import { createLabelBook, type ClientLabelView } from './client-labels.js';
import { notifyRinging, type CallNotice } from './call-notification.js';
import type { LineSource } from './line-source.js';
import { createRingtone } from './ringtone.js';

/**
 * The microphone could not be opened for a call: when answering (the call still rings), when
 * switching devices mid-call (the call stays on the old one), or when calling a staff member to
 * consult before a transfer (nobody was called; the caller is back from hold). Or the microphone
 * went away mid-call: `fell-back` when the call moved to the system default by itself, `lost` when
 * no microphone could be opened instead (the caller hears nothing until the operator reconnects
 * one). Shown in the call strip, not as an error: the operator needs to act on it while the call is there.
 */
export interface MicrophoneNotice {
  callId: string;
  problem: MicrophoneProblem;
  when: 'answer' | 'switch' | 'consult' | 'lost' | 'fell-back';
  /** Counts attempts, so that failing again is announced again. */
  attempt: number;
}

/** How a consultation was started, so its strip can name the staff member (never the target). */
export interface Consulting {
  staffName: string;
}

/** How long after the line comes up the desk warms what the first call needs (after start-up's own work). */
export const WARM_UP_DELAY_MS = 1000;

export interface LiveCalls {
  /** Whether a line is paired (calls can ring). */
  hasLine: boolean;
  layout: CallLayout;
  /** The pop of a call (a generic one while the main process answers, or when it failed). */
  popOf(call: CallInfo): Pop;
  /** Whether the main process has answered with the call's pop (or failed, leaving the generic one). */
  hasPop(id: string): boolean;
  /** Who a ringing call is for while its pop is on its way (null: not a number of the directory). */
  labelOf(id: string): ClientLabelView | null | undefined;
  /** A polite message about the last call that ended ("the caller hung up"). */
  lastEnded: CallInfo | null;
  consulting: ReadonlyMap<string, Consulting>;
  audio: AudioChoice;
  /** The last microphone problem, while its call is still there. */
  microphone: MicrophoneNotice | null;
  dismissMicrophone(): void;
  handle(id: string): Call | undefined;
  answer(id: string): Promise<void>;
  decline(id: string, code: 486 | 603): Promise<void>;
  hangup(id: string): Promise<void>;
  toggleHold(id: string): Promise<void>;
  toggleMute(id: string): void;
  dtmf(id: string, digit: string): Promise<void>;
  transfer(id: string, clientId: string, staff: { id: string; name: string }, mode: 'blind' | 'attended'): Promise<void>;
  completeTransfer(id: string): Promise<void>;
  cancelConsultation(id: string): Promise<void>;
  /**
   * Applies an audio choice. Choosing the microphone already chosen opens it again for every call
   * whose microphone is dead (gone mid-call): the operator's way back after reconnecting it.
   */
  setAudio(choice: AudioChoice): Promise<void>;
  /** Opens the chosen microphone again for every connected call whose microphone is dead. */
  reconnectMicrophone(): Promise<void>;
}


export function useLiveCalls(api: KotozuteApi, source: LineSource | null, onError: (err: unknown) => void): LiveCalls {
  const { t } = useTranslation();
  const subscribeSource = useCallback((cb: () => void) => (source ? source.subscribe(cb) : () => undefined), [source]);
  const line = useSyncExternalStore(subscribeSource, () => source?.line ?? null);
  // The calls to show, with their pops: a ringing call appears together with its client (call-pops.ts).
  // Every client's name by number, loaded once a line is up, so a ring names its client at once.
  const book = useMemo(() => (line ? createLabelBook(api, onError) : null), [api, line, onError]);
  const watcher = useMemo(() => (line ? watchCallPops(api, line, genericPop, onError, book ?? undefined) : null), [api, line, onError, book]);
  const subscribeView = useCallback((cb: () => void) => (watcher ? watcher.subscribe(cb) : () => undefined), [watcher]);
  const { calls, pops, labels } = useSyncExternalStore(subscribeView, () => watcher?.view ?? EMPTY_VIEW);
  const [lastEnded, setLastEnded] = useState<CallInfo | null>(null);
  const [consulting, setConsulting] = useState<ReadonlyMap<string, Consulting>>(new Map());
  const [audio, setAudioState] = useState<AudioChoice>(loadAudioChoice);
  const [microphone, setMicrophone] = useState<MicrophoneNotice | null>(null);
  const micAttempts = useRef(0);
  /** Each connected call's microphone watch, by call id (re-armed whenever the call's track is replaced). */
  const micWatches = useRef(new Map<string, MicrophoneWatch>());
  const notices = useRef(new Map<string, CallNotice>());
  const ringtone = useMemo(() => createRingtone(), []);
  const previous = useRef<readonly CallInfo[]>([]);

  useEffect(() => () => ringtone.dispose(), [ringtone]);
  // Once a line is up, off the call path: the ring's audio graph is built, and the INVITE's parsing
  // compiled, before the first call.
  useEffect(() => {
    if (!line) return;
    const timer = setTimeout(() => {
      ringtone.prepare();
      warmUpInviteParsing();
    }, WARM_UP_DELAY_MS);
    return () => clearTimeout(timer);
  }, [line, ringtone]);
  useEffect(() => {
    void ringtone.setOutput(audio.ringtone);
  }, [ringtone, audio.ringtone]);

  // Ended calls: say why once, close their notification, let the line forget them.
  useEffect(() => {
    const ended = newlyEnded(previous.current, calls);
    previous.current = calls;
    for (const call of ended) {
      notices.current.get(call.id)?.close();
      notices.current.delete(call.id);
      if (call.consultFor === null) setLastEnded(call);
      line?.call(call.id)?.dismiss();
    }
    if (ended.length > 0) {
      const gone = new Set(ended.map((c) => c.id));
      watcher?.forget(gone);
      setConsulting((m) => (m.size === 0 ? m : new Map([...m].filter(([id]) => !gone.has(id)))));
      setMicrophone((n) => (n && gone.has(n.callId) ? null : n));
    }
  }, [calls, line, watcher]);

  // Ring while an incoming call rings; only a short beep when the operator is already talking.
  const ringing = calls.filter((c) => c.direction === 'incoming' && c.state === 'ringing');
  const talking = calls.some((c) => c.state === 'active');
  const ringKey = `${ringing.length > 0}-${talking}`;
  useEffect(() => {
    if (ringing.length === 0) {
      ringtone.stop();
      return;
    }
    // Started after the ring's first frame: the pop paints first (a cancelled ring never starts).
    return afterPaint(() => ringtone.start(talking));
    // ringKey sums up what matters of `ringing` and `talking`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ringKey, ringtone]);

  // One notification per ringing call, once its pop (and so its client) is known.
  useEffect(() => {
    // Shown just after the pop's first frame, which they would otherwise delay.
    const cancel = afterPaint(() => {
      for (const call of ringing) {
        const pop = pops.get(call.id);
        if (!pop || notices.current.has(call.id)) continue;
        const title = pop.client?.name ?? t('calls.notifyUnknown');
        const n = notifyRinging(title, t('calls.notifyBody'), call.id, () => undefined);
        if (n) notices.current.set(call.id, n);
      }
    });
    for (const [id, n] of notices.current) {
      if (!ringing.some((c) => c.id === id)) {
        n.close();
        notices.current.delete(id);
      }
    }
    return cancel;
  });

  const handle = useCallback((id: string) => line?.call(id), [line]);
  const need = useCallback(
    (id: string): Call => {
      const call = line?.call(id);
      if (!call) throw new Error(t('calls.gone'));
      return call;
    },
    [line, t],
  );
  const guard = useCallback(
    async (work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (err) {
        onError(err);
      }
    },
    [onError],
  );

  const applyMic = useCallback(async (call: Call, deviceId: string) => {
    // No peer connection: the call ended meanwhile (sip.js drops it on close). Nothing to move.
    const pc = peerConnectionOf(call);
    if (!pc || (await switchMicrophone(pc, deviceId, call.info.muted)) === 'gone') return;
    micWatches.current.get(call.id)?.rearm();
    // The new track follows the call's own rules again: silent while held or playing DTMF, not only when muted.
    call.setMuted(call.info.muted);
  }, []);
  const noteMicrophone = useCallback((callId: string, problem: MicrophoneProblem, when: MicrophoneNotice['when']) => {
    micAttempts.current += 1;
    setMicrophone({ callId, problem, when, attempt: micAttempts.current });
  }, []);

  // A microphone gone mid-call: said at once, and the call moves to the system default by itself
  // (a headset unplugged mid-sentence should cost the caller a second, not the call).
  const connectedKey = calls
    .filter((c) => c.state === 'active' || c.state === 'held')
    .map((c) => c.id)
    .join(' ');
  useEffect(() => {
    if (!line || !connectedKey) return;
    const devices = (globalThis.navigator as Navigator | undefined)?.mediaDevices as MediaDevices | undefined;
    const watches: MicrophoneWatch[] = [];
    for (const id of connectedKey.split(' ')) {
      const call = line.call(id);
      const pc = call ? peerConnectionOf(call) : undefined;
      if (!call || !pc) continue;
      let mending = false;
      const watch = watchMicrophone(
        pc,
        () => {
          if (mending) return;
          mending = true;
          void (async () => {
            try {
              await applyMic(call, '');
              if (call.info.state === 'ended') return;
              // The dialog shows what the call really uses now: the system default.
              setAudioState((a) => (a.microphone === '' ? a : { ...a, microphone: '' }));
              noteMicrophone(call.id, 'missing', 'fell-back');
            } catch (err) {
              if (call.info.state !== 'ended') noteMicrophone(call.id, microphoneProblemOf(err), 'lost');
            } finally {
              mending = false;
              watch.rearm();
            }
          })();
        },
        devices,
      );
      watches.push(watch);
      micWatches.current.set(id, watch);
    }
    const registry = micWatches.current;
    return () => {
      for (const w of watches) w.stop();
      for (const [id, w] of registry) if (watches.includes(w)) registry.delete(id);
    };
  }, [line, connectedKey, applyMic, noteMicrophone]);

  const setAudio = (choice: AudioChoice): Promise<void> =>
    guard(async () => {
      const before = audio.microphone;
      const micChanged = choice.microphone !== before;
      setAudioState(choice);
      saveAudioChoice(choice);
      // Mid-call: every live call moves to the new microphone at once (the speaker follows by
      // itself, see RemoteAudio); the same microphone chosen again is opened again where it died.
      const connected = (line?.calls ?? []).filter((c) => c.info.state === 'active' || c.info.state === 'held');
      const targets = micChanged ? connected : connected.filter(hasDeadMicrophone);
      if (targets.length === 0) return;
      for (const call of targets) {
        const dead = hasDeadMicrophone(call);
        try {
          await applyMic(call, choice.microphone);
        } catch (err) {
          if (!(err instanceof MicrophoneError)) throw err;
          if (dead) {
            // Nothing to stay on: the call still sends no voice.
            noteMicrophone(call.id, err.problem, 'lost');
            return;
          }
          // The call is still on its old microphone; the choice shown says so too.
          const kept = { ...choice, microphone: before };
          setAudioState(kept);
          saveAudioChoice(kept);
          noteMicrophone(call.id, err.problem, 'switch');
          return;
        }
      }
      setMicrophone((n) => (n?.when === 'switch' || n?.when === 'lost' || n?.when === 'fell-back' ? null : n));
    });

  // Until the main process answers (or if it could not), the safe generic pop applies.
  const popOf = useCallback((call: CallInfo): Pop => pops.get(call.id) ?? genericPop(call), [pops]);

  return {
    hasLine: line !== null,
    layout: useMemo(() => layoutCalls(calls), [calls]),
    popOf,
    hasPop: (id) => pops.has(id),
    labelOf: (id) => (pops.has(id) ? undefined : labels.get(id)),
    lastEnded,
    consulting,
    audio,
    microphone,
    dismissMicrophone: () => setMicrophone(null),
    handle,
    answer: (id) =>
      guard(async () => {
        const call = need(id);
        setMicrophone((n) => (n?.callId === id ? null : n));
        try {
          // Answered with the chosen microphone from the first packet: no switch after the answer,
          // which raced with a caller hanging up at once (replaceTrack on a closed connection).
          await call.answer({ microphone: audio.microphone });
        } catch (err) {
          // Nothing was sent and the call still rings: the operator fixes the microphone and answers again.
          if (err instanceof MicrophoneError) noteMicrophone(id, err.problem, 'answer');
          else throw err;
        }
      }),
    decline: (id, code) => guard(() => need(id).decline(code)),
    hangup: (id) => guard(() => need(id).hangup()),
    toggleHold: (id) =>
      guard(async () => {
        const call = need(id);
        if (call.info.holdPending) return;
        if (call.info.state === 'held') {
          // Resuming one call holds the one being talked on: the operator speaks to one at a time.
          for (const other of line?.calls ?? []) if (other !== call && other.info.state === 'active') await other.hold();
          await call.resume();
        } else await call.hold();
      }),
    toggleMute: (id) => {
      try {
        const call = need(id);
        call.setMuted(!call.info.muted);
      } catch (err) {
        onError(err);
      }
    },
    dtmf: (id, digit) => guard(() => need(id).sendDtmf(digit)),
    transfer: (id, clientId, staff, mode) =>
      guard(async () => {
        const call = need(id);
        // The target is a hidden number: it goes from the main process straight into the line.
        const { target } = await api.resolveTransferTarget({ clientId, staffId: staff.id });
        if (mode === 'blind') {
          await call.blindTransfer(target);
          return;
        }
        try {
          const consultation = await call.consult(target, { microphone: audio.microphone });
          setConsulting((m) => new Map(m).set(consultation.id, { staffName: staff.name }));
        } catch (err) {
          // Nothing was sent and the caller is back from hold: shown with the call, not as an error.
          if (err instanceof MicrophoneError) noteMicrophone(id, err.problem, 'consult');
          else throw err;
        }
      }),
    completeTransfer: (id) => guard(() => need(id).completeTransfer()),
    cancelConsultation: (id) =>
      guard(async () => {
        const call = need(id);
        const consultation = call.info.consultation ? line?.call(call.info.consultation) : undefined;
        if (consultation) await consultation.hangup();
        if (call.info.state === 'held') await call.resume();
      }),
    setAudio,
    reconnectMicrophone: () => setAudio(audio),
  };
}

/** Whether a call sends no live microphone (its track ended mid-call and nothing replaced it). */
function hasDeadMicrophone(call: Call): boolean {
  const pc = peerConnectionOf(call);
  return pc !== undefined && microphoneDead(pc);
}

/** The pop of an unknown number: the generic script and a warning, nothing about any client. */
function genericPop(call: CallInfo): Pop {
  return {
    callId: call.id,
    training: false,
    did: call.did ?? '',
    caller: { name: call.caller.name, number: call.caller.number },
    receivedAt: new Date(call.startedAt).toISOString(),
    client: null,
    greeting: '',
    open: false,
  };
}

/** The call's RTCPeerConnection, when its media handler is sip.js's WebRTC one. */
export function peerConnectionOf(call: Call): RTCPeerConnection | undefined {
  const handler = call.sessionDescriptionHandler as { peerConnection?: RTCPeerConnection } | undefined;
  return handler?.peerConnection;
}

/** The call's remote audio, when its media handler is sip.js's WebRTC one. */
export function remoteStreamOf(call: Call): MediaStream | undefined {
  const handler = call.sessionDescriptionHandler as { remoteMediaStream?: MediaStream } | undefined;
  return handler?.remoteMediaStream;
}

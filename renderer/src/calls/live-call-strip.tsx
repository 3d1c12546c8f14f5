/**
 * The call strip for real calls: the focused call with every control a professional softphone
 * offers, the other calls (a second one ringing, one on hold) in their own strips, and the audio
 * of each. Keys: F2 answer, F8 decline, F4 hang up, F6 hold, F7 mute, F10 transfer, Alt+K keypad.
 */
import { useEffect, useId, useRef, useState, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Pop } from '../../../shared/directory/pop.js';
import { CallParties, RingingStrip } from './ringing-strip.js';
import { Dir, Kbd } from '../ui/text.js';
import type { CallInfo } from '../line/types.js';
import { afterPaint } from '../ui/after-paint.js';
import { focusIsFree, isImeKey } from '../ui/keyboard.js';
import { AudioDialog } from './audio-dialog.js';
import { CallTimer } from './call-timer.js';
import { DtmfKeypad } from './dtmf-keypad.js';
import { LIVE_SHORTCUTS, matchLiveShortcut, type LiveAction } from './live-shortcuts.js';
import { RemoteAudio } from './remote-audio.js';
import { TransferDialog } from './transfer-dialog.js';
import { WARM_UP_DELAY_MS, type LiveCalls } from './use-live-calls.js';

type Dialog = 'none' | 'transfer' | 'keypad' | 'audio';

export interface LiveCallStripProps {
  live: LiveCalls;
  /** Moves focus to the answer search once a call is answered. */
  onTalking(): void;
}

export function LiveCallStrip({ live, onTalking }: LiveCallStripProps): ReactNode {
  const { t } = useTranslation();
  const [opened, setOpened] = useState<{ kind: Dialog; callId: string }>({ kind: 'none', callId: '' });
  const answerRef = useRef<HTMLButtonElement>(null);
  const focused = live.layout.focused;
  const pop = focused ? live.popOf(focused) : null;
  const consultation = focused ? live.layout.consultations.get(focused.id) : undefined;

  // Focus follows the call — Answer while it rings, the answer search once talking — but only out of
  // nothing or a call strip: a ring never takes focus from the note being typed (a half-made IME
  // conversion would be committed and its Space or Enter would answer). F2 answers from anywhere.
  const focusKey = focused ? `${focused.id}:${focused.state === 'ringing' ? 'ringing' : 'up'}` : '';
  useEffect(() => {
    if (!focused) return;
    // Focusing forces a style and layout pass at once; after the ring's first frame that pass is
    // the frame's own, not a second one ahead of it (F2 answers whatever has focus).
    if (focused.state === 'ringing') {
      return afterPaint(() => {
        if (focusIsFree()) answerRef.current?.focus();
      });
    }
    if (focusIsFree()) onTalking();
    // focusKey is what matters of `focused` here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusKey]);

  // A dialog belongs to its call: it is gone when the call is no longer the one up.
  const dialog: Dialog = focused && focused.state !== 'ringing' && opened.callId === focused.id ? opened.kind : 'none';
  const setDialog = (kind: Dialog) => setOpened({ kind, callId: focused?.id ?? '' });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!focused || e.repeat || isImeKey(e) || dialog !== 'none' || document.querySelector('dialog[open]')) return;
      const action = matchLiveShortcut(e);
      if (!action) return;
      if (run(action)) e.preventDefault();
    };
    const run = (action: LiveAction): boolean => {
      if (!focused) return false;
      const id = focused.id;
      const ringing = focused.state === 'ringing';
      const up = focused.state === 'active' || focused.state === 'held';
      switch (action) {
        case 'answer': {
          // F2 takes the focused ringing call, else a call waiting (which holds the current one).
          const target = ringing ? focused : live.layout.others.find((c) => c.state === 'ringing');
          if (!target) return false;
          void live.answer(target.id);
          return true;
        }
        case 'decline': {
          const target = ringing ? focused : live.layout.others.find((c) => c.state === 'ringing');
          if (!target) return false;
          void live.decline(target.id, 486);
          return true;
        }
        case 'hangup':
          if (ringing) return false;
          void live.hangup(id);
          return true;
        case 'hold':
          if (!up) return false;
          void live.toggleHold(id);
          return true;
        case 'mute':
          if (!up) return false;
          live.toggleMute(id);
          return true;
        case 'transfer':
          if (!up || !pop?.client || consultation) return false;
          setOpened({ kind: 'transfer', callId: id });
          return true;
        case 'keypad':
          if (focused.state !== 'active') return false;
          setOpened({ kind: 'keypad', callId: id });
          return true;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focused, dialog, live, pop, consultation]);

  if (!focused || !pop) {
    return (
      <>
        <EndedNotice live={live} />
        {live.hasLine && <RingRehearsal />}
      </>
    );
  }
  const handle = live.handle(focused.id);
  return (
    <>
      {focused.state === 'ringing' ? (
        <RingingLive call={focused} pop={pop} live={live} answerRef={answerRef} />
      ) : (
        <section
          data-call-strip="" className={`call-strip call-active live-call${focused.state === 'held' ? ' call-held' : ''}`}
          aria-label={focused.state === 'held' ? t('calls.held') : t('call.inCall')}
          data-call-state={focused.state}
          // The floor's opaque name of the call (never the caller's number): what a monitor request targets.
          data-call-ref={focused.ref}
        >
          <span className="call-phase">{focused.state === 'held' ? t('calls.held') : t('call.inCall')}</span>
          {focused.answeredAt !== null && <CallTimer since={focused.answeredAt} />}
          <CallParties pop={pop} />
          <span className="spacer" />
          <div className="call-controls" role="group" aria-label={t('calls.controls')}>
            <ControlButton
              action="hold"
              pressed={focused.state === 'held'}
              busy={focused.holdPending}
              label={focused.holdPending ? t('calls.holdPending') : focused.state === 'held' ? t('calls.resume') : t('calls.hold')}
              onClick={() => void live.toggleHold(focused.id)}
            />
            <ControlButton
              action="mute"
              pressed={focused.muted}
              label={t('calls.mute')}
              onClick={() => live.toggleMute(focused.id)}
            />
            <ControlButton
              action="keypad"
              label={t('calls.keypad')}
              disabled={focused.state !== 'active'}
              onClick={() => setDialog('keypad')}
            />
            <ControlButton
              action="transfer"
              label={t('calls.transfer')}
              disabled={!pop.client || consultation !== undefined}
              onClick={() => setDialog('transfer')}
            />
            <button type="button" className="btn btn-quiet" onClick={() => setDialog('audio')}>
              {t('calls.audio')}
            </button>
            <ControlButton action="hangup" danger label={t('calls.hangup')} onClick={() => void live.hangup(focused.id)} />
          </div>
        </section>
      )}
      {focused.state !== 'ringing' && focused.noAudio && (
        // Said at once: both sides hear silence while the strip would still say 通話中.
        <p className="notice notice-danger call-no-audio" role="alert">
          {t('calls.noAudio')}
        </p>
      )}
      {consultation && (
        <ConsultStrip call={focused} consultation={consultation} staffName={live.consulting.get(consultation.id)?.staffName ?? ''} live={live} />
      )}
      {live.layout.others.map((other) => (
        <OtherCall key={other.id} call={other} pop={live.popOf(other)} live={live} />
      ))}
      <MicrophoneAlert live={live} />
      <EndedNotice live={live} />
      {handle && <RemoteAudio call={handle} state={focused.state} speaker={live.audio.speaker} />}
      {live.layout.others.map((other) => {
        const h = live.handle(other.id);
        return h ? <RemoteAudio key={other.id} call={h} state={other.state} speaker={live.audio.speaker} /> : null;
      })}
      {consultation && live.handle(consultation.id) && (
        <RemoteAudio call={live.handle(consultation.id)!} state={consultation.state} speaker={live.audio.speaker} />
      )}
      {dialog === 'transfer' && pop.client && (
        <TransferDialog
          client={pop.client}
          onClose={() => setDialog('none')}
          onTransfer={(staff, mode) => {
            setDialog('none');
            void live.transfer(focused.id, pop.client!.id, staff, mode);
          }}
        />
      )}
      {dialog === 'keypad' && <DtmfKeypad onDigit={(d) => void live.dtmf(focused.id, d)} onClose={() => setDialog('none')} />}
      {dialog === 'audio' && (
        <AudioDialog
          choice={live.audio}
          onChange={(c) => void live.setAudio(c)}
          onClose={() => setDialog('none')}
          switchProblem={live.microphone?.when === 'switch' && live.microphone.callId === focused.id ? live.microphone.problem : null}
          lostProblem={live.microphone?.when === 'lost' && live.microphone.callId === focused.id ? live.microphone.problem : null}
          onReconnect={() => void live.reconnectMicrophone()}
        />
      )}
    </>
  );
}

function ControlButton({
  action,
  label,
  onClick,
  pressed,
  busy,
  disabled,
  danger,
}: {
  action: LiveAction;
  label: string;
  onClick(): void;
  pressed?: boolean;
  busy?: boolean;
  disabled?: boolean;
  danger?: boolean;
}): ReactNode {
  const spec = LIVE_SHORTCUTS[action];
  return (
    <button
      type="button"
      className={`btn${danger ? ' btn-danger' : ''}`}
      onClick={onClick}
      disabled={disabled || busy}
      aria-pressed={pressed}
      aria-busy={busy || undefined}
      aria-keyshortcuts={spec.aria}
    >
      {label}
      <Kbd label={spec.label} />
    </button>
  );
}

function RingingLive({
  call,
  pop,
  live,
  answerRef,
}: {
  call: CallInfo;
  pop: Pop;
  live: LiveCalls;
  answerRef: Ref<HTMLButtonElement>;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <RingingStrip
      pop={pop}
      label={live.labelOf(call.id)}
      primaryRef={answerRef}
      onAnswer={() => void live.answer(call.id)}
      onDecline={() => void live.decline(call.id, 486)}
      className="live-call"
    >
      <button type="button" className="btn btn-quiet" onClick={() => void live.decline(call.id, 603)}>
        {t('calls.reject603')}
      </button>
    </RingingStrip>
  );
}

/** The attended transfer in progress: who is being consulted, and Complete / Cancel. */
function ConsultStrip({ call, consultation, staffName, live }: { call: CallInfo; consultation: CallInfo; staffName: string; live: LiveCalls }): ReactNode {
  const { t } = useTranslation();
  const connected = consultation.state === 'active';
  return (
    <section data-call-strip="" className="call-strip consult-strip" aria-label={t('calls.consulting')}>
      <span className="call-phase">{t('calls.consulting')}</span>
      <span className="consult-who">
        {staffName ? <Dir className="staff-name">{staffName}</Dir> : null}{' '}
        <span className="muted">{connected ? t('calls.consultConnected') : t('calls.consultRinging')}</span>
      </span>
      <span className="spacer" />
      <button type="button" className="btn btn-primary" disabled={!connected} onClick={() => void live.completeTransfer(call.id)}>
        {t('calls.completeTransfer')}
      </button>
      <button type="button" className="btn" onClick={() => void live.cancelConsultation(call.id)}>
        {t('calls.cancelConsult')}
      </button>
    </section>
  );
}

/** A call other than the focused one: a second call ringing (call waiting) or one on hold. */
function OtherCall({ call, pop, live }: { call: CallInfo; pop: Pop; live: LiveCalls }): ReactNode {
  const { t } = useTranslation();
  const labelId = useId();
  const ringing = call.state === 'ringing';
  return (
    <section
      data-call-strip="" className={`call-strip call-other ${ringing ? 'call-waiting' : 'call-held'}`}
      role={ringing ? 'alert' : 'region'}
      aria-labelledby={labelId}
      data-call-state={call.state}
    >
      <span className="call-phase" id={labelId}>
        {ringing ? t('calls.waiting') : t('calls.held')}
      </span>
      <CallParties pop={pop} label={live.labelOf(call.id)} />
      <span className="spacer" />
      {ringing ? (
        <>
          <button type="button" className="btn btn-answer" onClick={() => void live.answer(call.id)}>
            {t('calls.answerHolding')}
          </button>
          <button type="button" className="btn" onClick={() => void live.decline(call.id, 486)}>
            {t('call.decline')}
          </button>
        </>
      ) : (
        <button type="button" className="btn" disabled={call.holdPending} onClick={() => void live.toggleHold(call.id)}>
          {t('calls.resume')}
        </button>
      )}
    </section>
  );
}

/**
 * The microphone could not be opened for a call, said at once (role=alert) with the reason and what
 * to do: when answering, the call still rings; when switching devices, it stays on the old one.
 * Shown only while that call is still in the state the problem is about.
 */
function MicrophoneAlert({ live }: { live: LiveCalls }): ReactNode {
  const { t } = useTranslation();
  const notice = live.microphone;
  const { focused, others } = live.layout;
  const call = notice ? [focused, ...others].find((c) => c?.id === notice.callId) : undefined;
  if (!notice || !call) return null;
  const answering = notice.when === 'answer';
  if (answering ? call.state !== 'ringing' : call.state !== 'active' && call.state !== 'held') return null;
  const reason = t(`calls.mic.reason.${notice.problem}`);
  const text = {
    answer: () => t('calls.mic.answerFailed', { reason, fix: t(`calls.mic.fix.${notice.problem}`) }),
    consult: () => t('calls.mic.consultFailed', { reason }),
    switch: () => t('calls.mic.switchFailed', { reason }),
    lost: () => t('calls.mic.lost', { reason }),
    'fell-back': () => t('calls.mic.fellBack'),
  }[notice.when]();
  return (
    // Keyed by attempt: failing again is a new alert, announced again.
    <div key={notice.attempt} className="notice notice-danger call-mic-alert" role="alert">
      <p>{text}</p>
      {notice.when === 'lost' && (
        <button type="button" className="btn" onClick={() => void live.reconnectMicrophone()}>
          {t('calls.mic.reconnect')}
        </button>
      )}
      <button type="button" className="btn btn-quiet" onClick={live.dismissMicrophone}>
        {t('calls.close')}
      </button>
    </div>
  );
}

/** "The caller hung up" and the like, announced politely, until the next call. */
function EndedNotice({ live }: { live: LiveCalls }): ReactNode {
  const { t } = useTranslation();
  const ended = live.lastEnded;
  return (
    <p className="visually-hidden" role="status">
      {ended?.endReason ? t(`calls.ended.${ended.endReason}`) : ''}
    </p>
  );
}

/**
 * The ringing strip, drawn once out of sight soon after the line comes up, so the first real ring
 * finds its code compiled and its fonts and glyphs loaded (the first one otherwise took ~100 ms
 * longer to show). Inert, hidden from assistive technology, gone after its frame.
 */
function RingRehearsal(): ReactNode {
  const [phase, setPhase] = useState<'waiting' | 'drawing' | 'done'>('waiting');
  const answerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (phase === 'waiting') {
      const timer = setTimeout(() => setPhase('drawing'), WARM_UP_DELAY_MS);
      return () => clearTimeout(timer);
    }
    if (phase === 'drawing') return afterPaint(() => setPhase('done'));
  }, [phase]);
  if (phase !== 'drawing') return null;
  return (
    <div className="ring-rehearsal" aria-hidden="true" inert>
      <RingingStrip pop={REHEARSAL_POP} label={REHEARSAL_LABEL} primaryRef={answerRef} onAnswer={() => undefined} onDecline={() => undefined} className="live-call" />
    </div>
  );
}

const REHEARSAL_LABEL = { name: '株式会社言伝サンプル商事' };
const REHEARSAL_POP: Pop = {
  callId: 'rehearsal',
  training: false,
  did: '+81312345678',
  caller: { name: '山田 太郎', number: '09012345678' },
  receivedAt: new Date(0).toISOString(),
  client: null,
  greeting: '',
  open: false,
};

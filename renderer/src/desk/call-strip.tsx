/**
 * The strip under the top bar that always holds the call: waiting (with Simulate), ringing (who is
 * calling whom, Answer / Decline) or in a call (End). Its height is fixed so changing phase never
 * moves the pop below it.
 */
import type { ReactNode, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskPhase } from './desk-state.js';
import { CallParties, RingingStrip } from '../calls/ringing-strip.js';
import { SHORTCUTS } from '../ui/shortcuts.js';
import { Kbd } from '../ui/text.js';

export interface CallStripProps {
  state: DeskPhase;
  canSimulate: boolean;
  onSimulate(): void;
  onAnswer(): void;
  onDecline(): void;
  onEnd(): void;
  /** The control that should take focus for the current phase (Simulate, Answer or End). */
  primaryRef: Ref<HTMLButtonElement>;
}

export function CallStrip({
  state,
  canSimulate,
  onSimulate,
  onAnswer,
  onDecline,
  onEnd,
  primaryRef,
}: CallStripProps): ReactNode {
  const { t } = useTranslation();
  if (state.phase === 'idle') {
    return (
      <section data-call-strip="" className="call-strip call-idle" aria-label={t('idle.heading')}>
        <span className="call-phase">{t('idle.heading')}</span>
        <span className="call-hint">{canSimulate ? t('idle.hint') : t('idle.hintLive')}</span>
        <span className="spacer" />
        <button
          ref={primaryRef}
          type="button"
          className="btn btn-primary"
          onClick={onSimulate}
          disabled={!canSimulate}
          aria-keyshortcuts={SHORTCUTS.simulate.aria}
        >
          {t('idle.simulate')}
          <Kbd label={SHORTCUTS.simulate.label} />
        </button>
      </section>
    );
  }
  if (state.phase === 'ringing') {
    return (
      <RingingStrip pop={state.pop} primaryRef={primaryRef} onAnswer={onAnswer} onDecline={onDecline} />
    );
  }
  return (
    <section data-call-strip="" className="call-strip call-active" aria-label={t('call.inCall')}>
      <span className="call-phase">{t('call.inCall')}</span>
      <CallParties pop={state.pop} />
      <span className="spacer" />
      <button
        ref={primaryRef}
        type="button"
        className="btn btn-danger"
        onClick={onEnd}
        aria-keyshortcuts={SHORTCUTS.end.aria}
      >
        {t('call.end')}
        <Kbd label={SHORTCUTS.end.label} />
      </button>
    </section>
  );
}

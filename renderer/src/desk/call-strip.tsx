/**
 * The strip under the top bar that always holds the call: waiting (with Simulate), ringing (who is
 * calling whom, Answer / Decline) or in a call (End). Its height is fixed so changing phase never
 * moves the pop below it.
 */
import { displayDid } from '../../../shared/directory/did.js';
import type { ReactNode, Ref } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Pop } from '../../../shared/directory/pop.js';
import type { DeskPhase } from './desk-state.js';
import { SHORTCUTS } from './shortcuts.js';
import { Dir, Kbd } from './text.js';

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
      <section className="call-strip call-idle" aria-label={t('idle.heading')}>
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
    <section className="call-strip call-active" aria-label={t('call.inCall')}>
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

/** The ring: who is calling which client, Answer and Decline. Shared by simulated and real calls. */
export function RingingStrip({
  pop,
  label,
  primaryRef,
  onAnswer,
  onDecline,
  className = '',
  children,
}: {
  pop: Pop;
  primaryRef: Ref<HTMLButtonElement>;
  onAnswer(): void;
  onDecline(): void;
  /** Extra classes, e.g. for a real call. */
  className?: string;
  /** Further controls after Decline (a real call adds 603 Decline). */
  children?: ReactNode;
  /** Who a real call is for while its pop is on its way (client-labels.ts). */
  label?: { readonly name: string } | null;
}): ReactNode {
  const { t } = useTranslation();
  const labelId = useId();
  return (
    // role=alert: a screen reader announces the ring (who is calling which client) at once.
    <section
      className={`call-strip call-ringing ${className}`.trim()}
      role="alert"
      aria-labelledby={labelId}
      data-call-state="ringing"
    >
      <span className="call-phase" id={labelId}>
        {t('call.incoming')}
      </span>
      <CallParties pop={pop} label={label} />
      <span className="spacer" />
      <button
        ref={primaryRef}
        type="button"
        className="btn btn-answer"
        onClick={onAnswer}
        aria-keyshortcuts={SHORTCUTS.answer.aria}
      >
        {t('call.answer')}
        <Kbd label={SHORTCUTS.answer.label} />
      </button>
      <button type="button" className="btn" onClick={onDecline} aria-keyshortcuts={SHORTCUTS.decline.aria}>
        {t('call.decline')}
        <Kbd label={SHORTCUTS.decline.label} />
      </button>
      {children}
    </section>
  );
}

/**
 * Client, dialled number and caller — every piece of it text, isolated from the UI around it. While
 * a real call's pop is on its way, `label` names the client (the badges that need the pop follow it).
 */
export function CallParties({ pop, label }: { pop: Pop; label?: { readonly name: string } | null }): ReactNode {
  const { t } = useTranslation();
  const name = pop.client?.name ?? label?.name;
  return (
    <dl className="call-parties">
      <div className="call-party call-client">
        <dt>{t('call.client')}</dt>
        <dd>
          {name !== undefined ? (
            <>
              <Dir className="client-name">{name}</Dir>
              {pop.client?.sensitive && <span className="badge badge-sensitive">{t('pop.sensitive')}</span>}
            </>
          ) : (
            <span className="badge badge-unknown">{t('call.unknownNumber')}</span>
          )}
          {pop.client && (
            <span className={pop.open ? 'badge hours-open' : 'badge hours-closed'}>
              {pop.open ? t('call.open') : t('call.closed')}
            </span>
          )}
          {pop.training && <span className="badge badge-training-small">{t('call.training')}</span>}
        </dd>
      </div>
      <div className="call-party call-dialled">
        <dt>{t('call.dialled')}</dt>
        <dd className="number">
          <Dir>{displayDid(pop.did)}</Dir>
        </dd>
      </div>
      <div className="call-party call-caller">
        <dt>{t('call.caller')}</dt>
        <dd>
          {pop.caller.name ? <Dir className="caller-name">{pop.caller.name}</Dir> : <span className="muted">{t('call.anonymous')}</span>}
          <span className="number caller-number">
            {pop.caller.number ? <Dir>{pop.caller.number}</Dir> : <span className="muted">{t('call.noNumber')}</span>}
          </span>
        </dd>
      </div>
    </dl>
  );
}

/**
 * The ring and who is on the line: shared by the training desk's strip (desk/call-strip.tsx) and by
 * real calls (live-call-strip.tsx).
 */
import type { ReactNode, Ref } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { displayDid } from '../../../shared/directory/did.js';
import type { Pop } from '../../../shared/directory/pop.js';
import { SHORTCUTS } from '../ui/shortcuts.js';
import { Dir, Kbd } from '../ui/text.js';

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
      data-call-strip="" className={`call-strip call-ringing ${className}`.trim()}
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

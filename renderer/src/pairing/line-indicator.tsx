/**
 * The registration indicator, always in the top bar: 登録済み / 接続中 / オフライン（理由）. A live
 * region (role=status), so a screen reader hears the line drop and come back.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { getLineStore, type LineStore } from './line-store.js';
import { lineStatusView } from './line-status-view.js';
import { useLineSnapshot } from './use-line-store.js';
import { useReasonText } from './reason-text.js';

export function LineIndicator({ store = getLineStore() }: { store?: LineStore }): ReactNode {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const view = lineStatusView(useLineSnapshot(store));
  const state = t(`pairing.indicator.${view.state}`);
  // The SIP status code is for Settings; the top bar keeps to words.
  const text = view.reason ? t('pairing.indicator.withReason', { state, reason: reasonText(view.reason, null) }) : state;
  const dot = view.state === 'registered' ? 'dot-on' : view.state === 'connecting' ? 'dot-busy' : 'dot-off';
  return (
    <span className="line-indicator" role="status" aria-label={t('pairing.indicator.label')} data-line={view.state} data-reason={view.reason ?? undefined}>
      <span className={`dot ${dot}`} aria-hidden="true" />
      <span className="line-indicator-text">{text}</span>
    </span>
  );
}

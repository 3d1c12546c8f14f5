/** The plain-words reason for a line that is not registered, with the SIP status when there is one. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineReason } from './line-status-view.js';

/**
 * `statusCode` is the SIP status, `detail` the platform's error code behind a TLS failure; either is
 * appended when given (Settings gives both, the top bar keeps to words and gives neither).
 */
export function useReasonText(): (reason: LineReason, statusCode: number | null, detail?: string | null) => string {
  const { t } = useTranslation();
  return useCallback(
    (reason, statusCode, detail = null) =>
      // No line paired means the desk trains: say it in the words the top bar has always used.
      reason === 'not-paired'
        ? t('topBar.lineTraining')
        : t(`pairing.reason.${reason}`) +
          (statusCode ? t('pairing.statusCode', { code: statusCode }) : '') +
          (detail ? t('pairing.detailCode', { code: detail }) : ''),
    [t],
  );
}

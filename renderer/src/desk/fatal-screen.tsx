/**
 * What the operator sees when the desk cannot start at all: a plain statement of what is wrong and
 * what to do, instead of a blank window.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function FatalScreen({ message, detail }: { message: string; detail?: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <main className="fatal" role="alert" aria-labelledby="fatal-title">
      <h1 id="fatal-title">{t('fatal.title')}</h1>
      <p>{message}</p>
      {detail && <pre className="fatal-detail">{detail}</pre>}
    </main>
  );
}

/**
 * The pop: everything the operator needs for this call, in three fixed columns — what to say
 * (greeting and script), what may be answered (search), and what must not be said (never-disclose
 * list and the staff board's public phrases). While idle the same columns hold placeholders, so
 * the pop paints into a layout that does not move.
 */
import { memo, useId, useLayoutEffect, useMemo, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Pop, PopClient, PublicStaff } from '../../../shared/directory/pop.js';
import type { NeverDisclose, ScriptSection } from '../../../shared/directory/schema.js';
import { afterNextFrame } from '../ui/after-paint.js';
import { renderMarkdown } from '../markdown/render-markdown.js';
import { AnswerPanel, type AnswerPanelHandle } from './answer-panel.js';
import { Dir } from '../ui/text.js';

export interface PopViewProps {
  pop: Pop;
  answersHandle: Ref<AnswerPanelHandle>;
}

/**
 * Memoised: the desk re-renders for many reasons while a call is up (call timer, notes, line state),
 * and none of them changes what the pop shows; only a new pop (or handle) renders it again.
 */
export const PopView = memo(function PopView({ pop, answersHandle }: PopViewProps): ReactNode {
  const { t } = useTranslation();
  const client = pop.client;

  // The benchmarks' marks: popFrameAt when the frame that shows the committed pop starts (its
  // animation frame), popPaintedAt once that frame has been produced (style, layout and paint done).
  useLayoutEffect(() => {
    const frame = requestAnimationFrame(() => {
      document.body.dataset.popFrameAt = String(performance.now());
    });
    const painted = afterNextFrame(() => {
      document.body.dataset.popPaintedAt = String(performance.now());
    });
    return () => {
      cancelAnimationFrame(frame);
      painted();
    };
  }, [pop.callId]);

  const language = client?.language ?? 'ja';
  return (
    <div className="pop-grid" data-call-id={pop.callId}>
      <div className="pop-col pop-say">
        {client === null && (
          <p className="notice notice-danger unknown-warning" role="alert">
            {t('unknown.warning')}
          </p>
        )}
        {client?.sensitive && <p className="notice notice-sensitive">{t('pop.sensitiveHint')}</p>}
        <GreetingCard text={client ? pop.greeting : t('unknown.greeting')} language={client ? language : undefined} />
        <ScriptPanel
          sections={client ? client.script : [{ title: t('unknown.scriptTitle'), body: t('unknown.scriptBody') }]}
          language={client ? language : undefined}
        />
      </div>
      <div className="pop-col pop-answer">
        {client ? (
          // Keyed by call so a new call starts with an empty search and nothing picked.
          <AnswerPanel key={pop.callId} answers={client.answers} language={language} handle={answersHandle} />
        ) : (
          <AnswerPanel key={pop.callId} answers={[]} language="ja" handle={answersHandle} />
        )}
      </div>
      <div className="pop-col pop-guard">
        <NeverDisclosePanel items={client?.neverDisclose ?? []} />
        {client && <StaffBoard staff={client.staff} client={client} />}
      </div>
    </div>
  );
});

/** The same three columns with placeholders, while no call is up (memoised: nothing changes them). */
export const IdlePop = memo(function IdlePop(): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="pop-grid pop-idle">
      <div className="pop-col pop-say">
        <section className="panel greeting-card">
          <h2 className="panel-title">{t('pop.greeting')}</h2>
          <p className="empty">{t('idle.placeholderGreeting')}</p>
        </section>
        <section className="panel">
          <h2 className="panel-title">{t('pop.script')}</h2>
          <p className="empty">{t('idle.placeholderScript')}</p>
        </section>
      </div>
      <div className="pop-col pop-answer">
        <section className="panel">
          <h2 className="panel-title">{t('pop.answers')}</h2>
          <p className="empty">{t('idle.placeholderAnswers')}</p>
        </section>
      </div>
      <div className="pop-col pop-guard">
        <section className="panel">
          <h2 className="panel-title">{t('pop.neverDisclose')}</h2>
          <p className="empty">{t('idle.placeholderSide')}</p>
        </section>
      </div>
    </div>
  );
});

function GreetingCard({ text, language }: { text: string; language: string | undefined }): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="panel greeting-card" aria-labelledby={id}>
      <h2 className="panel-title" id={id}>
        {t('pop.greeting')}
      </h2>
      <p className="greeting read-aloud" lang={language}>
        {text}
      </p>
    </section>
  );
}

function ScriptPanel({ sections, language }: { sections: readonly ScriptSection[]; language: string | undefined }): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="panel script-panel" aria-labelledby={id}>
      <h2 className="panel-title" id={id}>
        {t('pop.script')}
      </h2>
      {sections.map((s, i) => (
        <ScriptSectionView key={i} title={s.title} body={s.body} language={language} />
      ))}
    </section>
  );
}

function ScriptSectionView({ title, body, language }: { title: string; body: string; language: string | undefined }): ReactNode {
  // Lexed and turned into elements once per body, not on every render of the pop.
  const rendered = useMemo(() => renderMarkdown(body), [body]);
  return (
    <section className="script-section" lang={language}>
      <h3>
        <Dir>{title}</Dir>
      </h3>
      <div className="md">{rendered}</div>
    </section>
  );
}

function NeverDisclosePanel({ items }: { items: readonly NeverDisclose[] }): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="panel never-panel" aria-labelledby={id}>
      <h2 className="panel-title" id={id}>
        {t('pop.neverDisclose')}
      </h2>
      {items.length === 0 ? (
        <p className="empty">{t('pop.noNeverDisclose')}</p>
      ) : (
        <ul className="never-list">
          {items.map((n, i) => (
            <li key={i}>
              <p className="never-item">
                <Dir>{n.item}</Dir>
              </p>
              {n.instead && (
                <p className="never-instead">
                  <span className="never-instead-label">{t('pop.instead')}:</span> <Dir>{n.instead}</Dir>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StaffBoard({ staff, client }: { staff: readonly PublicStaff[]; client: PopClient }): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="panel staff-panel" aria-labelledby={id}>
      <h2 className="panel-title" id={id}>
        {t('pop.staff')}
      </h2>
      {staff.length === 0 ? (
        <p className="empty">{t('pop.noStaff')}</p>
      ) : (
        <table className="staff-table" aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">
                {t('pop.staffName')} / {t('pop.staffKana')} / {t('pop.staffDepartment')}
              </th>
              <th scope="col">{t('pop.staffStatus')}</th>
              <th scope="col">{t('pop.staffPhrase')}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.id}>
                <td className="staff-who">
                  <Dir className="staff-name">{s.name}</Dir>
                  <Dir className="staff-kana">{s.kana}</Dir>
                  <Dir className="staff-department">{s.department}</Dir>
                </td>
                <td>
                  <span className={`status status-${s.status}`}>{t(`status.${s.status}`)}</span>
                </td>
                <td className="staff-phrase" lang={client.language}>
                  <Dir>{s.publicPhrase}</Dir>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

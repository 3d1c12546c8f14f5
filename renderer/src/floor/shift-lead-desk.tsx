/**
 * The shift lead's End of day screen (終業処理, issue 10 §2) for this desk: what the desk holds
 * (planClearance's counts), every undelivered message as a row to settle — client, channels, state,
 * reason, never its content — then the desk id typed as confirmation, Clear, and the signed deletion
 * record shown readably with this desk's earlier records. A row can also be sent again now, or by
 * the client's fallback channel: the row follows the outbox live (desk event 'outbox-changed') and
 * leaves the list once delivered; until then it still needs a settlement. Each record exports as its
 * signed JSON and as a readable sheet (record-export.ts).
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ErrorAlerts } from '../ui/error-alerts.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';
import { useTranslation } from 'react-i18next';
import { DiscardReason, type ClearancePlan, type DeletionRecord, type NoteCounts, type UndeliveredItem } from '../../../shared/clearance/schema.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';
import { byText, recordFileName, recordJson, recordSheetHtml } from './record-export.js';
import { canClear, settlementsFor, unsettledCount, type SettleChoice, type SettleChoices } from './end-of-day.js';
import { LanguageSwitch, useSavedLocale } from './language-switch.js';
import { FloorClearancePanel, type FloorClearanceApi } from './floor-clearance-panel.js';
import { deliveryReasonOf } from '../notes/delivery-reason.js';
import { isDeskLocked, useDeskUnlocks } from './desk-unlocks.js';

export type ShiftLeadApi = Pick<
  KotozuteApi,
  'planClearance' | 'clearDesk' | 'sendUndelivered' | 'exportDeletionRecord' | 'listDeletionRecords' | 'deskIdentity' | 'listClients' | 'updateSettings'
> &
  FloorClearanceApi;

export interface ShiftLeadDeskProps {
  api: ShiftLeadApi;
  /** The desk's pushed events: the undelivered rows refresh when the outbox changes; the floor clearance's live status (issue 10 §4). */
  events?: DeskEventSource;
}

type ExportKind = 'json' | 'sheet';

/** The records listed under the screen (newest last; the contract allows up to 200). */
const RECORDS_SHOWN = 50;
const NOTE_STATES: readonly (keyof NoteCounts)[] = ['draft', 'ready', 'handingOff', 'failed', 'delivered', 'training'];

export function ShiftLeadDesk({ api, events }: ShiftLeadDeskProps): ReactNode {
  const { t, i18n } = useTranslation();
  const [plan, setPlan] = useState<ClearancePlan | null>(null);
  const [records, setRecords] = useState<DeletionRecord[]>([]);
  const [deskId, setDeskId] = useState<string | null>(null);
  const [clients, setClients] = useState<ReadonlyMap<string, string>>(new Map());
  const [choices, setChoices] = useState<SettleChoices>({});
  const [typed, setTyped] = useState('');
  const [cleared, setCleared] = useState<DeletionRecord | null>(null);
  const [clearing, setClearing] = useState(false);
  const [problem, setProblem] = useState<ErrorReport | null>(null);
  const [status, setStatus] = useState('');
  // The desk's own alert: the error's code and the keychain's reason in the person's language, the detail after.
  // A refusal because the desk is locked is said nowhere (the lock screen is up): it loads again on unlock.
  const report = useCallback((err: unknown) => {
    if (!isDeskLocked(err)) setProblem(toErrorReport(err));
  }, []);
  const unlocks = useDeskUnlocks();

  const load = useCallback(
    () =>
      Promise.all([api.planClearance(), api.listDeletionRecords({ limit: RECORDS_SHOWN })]).then(([p, r]) => {
        setPlan(p);
        setRecords(r);
      }),
    [api],
  );

  useEffect(() => {
    load().catch(report);
    api.deskIdentity().then((id) => setDeskId(id.ok ? (id.enrolledAs?.id ?? null) : null), report);
    // Client names are a courtesy: the row falls back to the client id.
    api.listClients().then((list) => setClients(new Map(list.map((c) => [c.id, c.name]))), () => undefined);
  }, [api, load, report, unlocks]);

  // Live: the outbox changed (a row delivered, failed, sent). One refresh at a time; one more if asked meanwhile.
  const refreshing = useRef<'idle' | 'busy' | 'again'>('idle');
  const refresh = useCallback(() => {
    if (refreshing.current !== 'idle') {
      refreshing.current = 'again';
      return;
    }
    refreshing.current = 'busy';
    const run = (): void => {
      // Best effort: a refresh refused meanwhile (the desk is mid-clearance, its vault closed) is not
      // the shift lead's problem; the next change or the clearance's own reload brings the plan.
      api.planClearance().then(setPlan, () => undefined).finally(() => {
        if (refreshing.current === 'again') {
          refreshing.current = 'busy';
          run();
        } else refreshing.current = 'idle';
      });
    };
    run();
  }, [api]);
  useEffect(() => {
    if (!events) return undefined;
    return events.onDeskEvent((event) => {
      if (event.type === 'outbox-changed') refresh();
    });
  }, [events, refresh]);

  const sendAgain = useCallback(
    async (noteId: string, action: 'retry' | 'fallback') => {
      setProblem(null);
      try {
        setPlan(await api.sendUndelivered({ noteId, action }));
        setStatus(t(action === 'retry' ? 'clearance.retrySent' : 'clearance.fallbackSent'));
      } catch (err) {
        report(err);
      }
    },
    [api, report, t],
  );

  const exportRecord = useCallback(
    async (record: DeletionRecord, kind: ExportKind) => {
      setProblem(null);
      const fileName = recordFileName(record, kind === 'json' ? 'json' : 'html');
      const text = kind === 'json' ? recordJson(record) : recordSheetHtml(record, i18n.getFixedT(i18n.language), i18n.language);
      try {
        const result = await api.exportDeletionRecord({ fileName, text });
        if (result.via === 'page') download(fileName, text, kind === 'json' ? 'application/json' : 'text/html');
        if (result.via === 'page' || result.saved) setStatus(t('clearance.exported', { file: fileName }));
      } catch (err) {
        report(err);
      }
    },
    [api, i18n, report, t],
  );

  const choose = useCallback((noteId: string, choice: SettleChoice) => setChoices((c) => ({ ...c, [noteId]: choice })), []);

  const clear = useCallback(async () => {
    if (!plan) return;
    const settlements = settlementsFor(plan, choices);
    if (!settlements || !canClear(plan, choices, typed, deskId)) return;
    setClearing(true);
    setProblem(null);
    try {
      const record = await api.clearDesk({ settlements, confirm: typed.trim() });
      setCleared(record);
      setChoices({});
      setTyped('');
      await load();
    } catch (err) {
      report(err);
    } finally {
      setClearing(false);
    }
  }, [api, plan, choices, typed, deskId, load, report]);

  const changeLocale = useSavedLocale(api, report);

  const ready = plan !== null && canClear(plan, choices, typed, deskId);
  const left = plan ? unsettledCount(plan, choices) : 0;
  return (
    <div className="desk shift-lead-desk">
      <header className="top-bar">
        <h1 className="top-bar-title">{t('clearance.title')}</h1>
        <span className="spacer" />
        <LanguageSwitch className="floor-language" current={i18n.language} onChoose={changeLocale} />
      </header>
      <ErrorAlerts errors={problem ? [problem] : []} onDismiss={() => setProblem(null)} />
      <p role="status" className="eod-status">
        {status}
      </p>
      <main className="desk-main eod-main" aria-label={t('clearance.title')}>
        {cleared && <RecordView record={cleared} title={t('clearance.recordTitle')} focusOnShow onExport={exportRecord} />}
        {!plan ? (
          <p>{t('app.loading')}</p>
        ) : (
          <>
            <PlanCounts plan={plan} />
            <section className="eod-section" aria-labelledby="eod-undelivered">
              <h2 id="eod-undelivered">{t('clearance.undeliveredTitle', { count: plan.undelivered.length })}</h2>
              {plan.undelivered.length === 0 ? (
                <p>{t('clearance.noneUndelivered')}</p>
              ) : (
                <ul className="eod-rows">
                  {plan.undelivered.map((item) => (
                    <UndeliveredRow key={item.noteId} item={item} client={item.clientId ? (clients.get(item.clientId) ?? item.clientId) : null} choice={choices[item.noteId]} onChoose={choose} onSend={sendAgain} />
                  ))}
                </ul>
              )}
            </section>
            <section className="eod-section eod-confirm" aria-labelledby="eod-confirm">
              <h2 id="eod-confirm">{t('clearance.confirmTitle')}</h2>
              {deskId === null && <p role="status">{t('clearance.noDeskId')}</p>}
              <label className="field">
                <span>{t('clearance.confirmLabel', { desk: deskId ?? '—' })}</span>
                <input type="text" autoComplete="off" spellCheck={false} maxLength={64} value={typed} onChange={(e) => setTyped(e.target.value)} />
              </label>
              <p className="muted" role="status">
                {left > 0 ? t('clearance.unsettledLeft', { count: left }) : t('clearance.allSettled')}
              </p>
              <button type="button" className="btn btn-danger" disabled={!ready || clearing} onClick={() => void clear()}>
                {clearing ? t('clearance.clearing') : t('clearance.clear')}
              </button>
            </section>
          </>
        )}
        <RecordList records={records} onExport={exportRecord} />
        {events && <FloorClearancePanel api={api} events={events} onError={report} />}
      </main>
    </div>
  );
}

function PlanCounts({ plan }: { plan: ClearancePlan }): ReactNode {
  const { t } = useTranslation();
  const jobs = plan.jobs;
  return (
    <section className="eod-section" aria-labelledby="eod-counts">
      <h2 id="eod-counts">{t('clearance.countsTitle')}</h2>
      <table className="eod-counts" aria-labelledby="eod-counts">
        <tbody>
          {NOTE_STATES.map((s) => (
            <tr key={s}>
              <th scope="row">{t(`clearance.notes.${s}`)}</th>
              <td>{plan.notes[s]}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t('clearance.outboxJobs')}</th>
            <td>{t('clearance.jobCounts', { pending: jobs.pending, sending: jobs.sending, retrying: jobs.retrying, failed: jobs.failed, delivered: jobs.delivered })}</td>
          </tr>
          <tr>
            <th scope="row">{t('clearance.quarantined')}</th>
            <td>{plan.quarantined}</td>
          </tr>
          <tr>
            <th scope="row">{t('clearance.leftovers')}</th>
            <td>{plan.leftovers}</td>
          </tr>
          <tr>
            <th scope="row">{t('clearance.shiftKey')}</th>
            <td>{plan.shiftKey ? t('clearance.shiftKeyPresent') : t('clearance.shiftKeyAbsent')}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

export interface RowProps {
  item: UndeliveredItem;
  client: string | null;
  choice: SettleChoice | undefined;
  onChoose(noteId: string, choice: SettleChoice): void;
  onSend(noteId: string, action: 'retry' | 'fallback'): Promise<void>;
}

export function UndeliveredRow({ item, client, choice, onChoose, onSend }: RowProps): ReactNode {
  const { t, i18n } = useTranslation();
  const name = useId();
  const who = client ?? t('clearance.noClient');
  const channels = item.channels.length ? item.channels.map((c) => t(`clearance.channel.${c}`)).join(t('floor.listSeparator')) : t('clearance.notHandedOff');
  const label = t('clearance.rowLabel', { client: who, state: t(`clearance.state.${item.state}`) });
  const discarding = choice?.action === 'discard';
  // The audit's code of its last failure, worded as the outbox words it (an unknown code shows as is).
  const reason = deliveryReasonOf(item.reason);
  return (
    <li>
      <fieldset className="eod-row" aria-label={label}>
        <legend className="eod-row-head">
          <strong>{who}</strong> · {t(`clearance.state.${item.state}`)}
        </legend>
        <dl className="eod-row-facts">
          <dt>{t('clearance.channels')}</dt>
          <dd>{channels}</dd>
          <dt>{t('clearance.reason')}</dt>
          <dd>{reason ? t(`outbox.why.${reason}`) : (item.reason ?? '—')}</dd>
          <dt>{t('clearance.taken')}</dt>
          <dd>{new Date(item.createdAt).toLocaleString(i18n.language)}</dd>
          {item.resent && (
            <>
              <dt>{t('clearance.resent')}</dt>
              <dd>{t(item.resent === 'retry' ? 'clearance.resentRetry' : 'clearance.resentFallback')}</dd>
            </>
          )}
        </dl>
        <div className="eod-send">
          <button type="button" className="btn" onClick={() => void onSend(item.noteId, 'retry')} disabled={item.clientId === null}>
            {t('clearance.retry')}
          </button>
          <button type="button" className="btn" onClick={() => void onSend(item.noteId, 'fallback')} disabled={!item.fallback}>
            {item.fallback ? t('clearance.fallbackTo', { channel: t(`clearance.channel.${item.fallback}`) }) : t('clearance.fallback')}
          </button>
          {!item.fallback && <small className="muted">{t('clearance.noFallback')}</small>}
        </div>
        <div className="eod-choices" role="radiogroup" aria-label={t('clearance.settleLabel', { client: who })}>
          <label>
            <input type="radio" name={name} checked={choice?.action === 'carry-over'} onChange={() => onChoose(item.noteId, { action: 'carry-over' })} />
            {t('clearance.carryOver')}
          </label>
          <label>
            <input type="radio" name={name} checked={discarding} onChange={() => onChoose(item.noteId, { action: 'discard', reason: null })} />
            {t('clearance.discard')}
          </label>
        </div>
        <label className="field">
          <span>{t('clearance.discardReason')}</span>
          <select
            disabled={!discarding}
            value={discarding ? (choice.reason ?? '') : ''}
            onChange={(e) => {
              const parsed = DiscardReason.safeParse(e.target.value);
              onChoose(item.noteId, { action: 'discard', reason: parsed.success ? parsed.data : null });
            }}
          >
            <option value="">{t('clearance.chooseReason')}</option>
            {DiscardReason.options.map((r) => (
              <option key={r} value={r}>
                {t(`clearance.discardReasons.${r}`)}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
    </li>
  );
}

function sumNotes(n: NoteCounts): number {
  return n.draft + n.ready + n.handingOff + n.failed + n.delivered + n.training;
}

/** One signed deletion record, readably (ja/en): nothing in it is personal data. */
export function RecordView({
  record,
  title,
  focusOnShow = false,
  onExport,
}: {
  record: DeletionRecord;
  title: string;
  focusOnShow?: boolean;
  onExport?: (record: DeletionRecord, kind: ExportKind) => Promise<void>;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const id = useId();
  const section = useRef<HTMLElement>(null);
  // Keyboard first: the record just made takes the focus from the Clear button (disabled now).
  useEffect(() => {
    if (focusOnShow) section.current?.focus();
  }, [focusOnShow, record.seq]);
  const d = record.destroyed;
  const reasons = DiscardReason.options
    .filter((code) => record.discarded.reasons[code] !== undefined)
    .map((code) => `${t(`clearance.discardReasons.${code}`)} ${record.discarded.reasons[code] ?? 0}`)
    .join(t('floor.listSeparator'));
  return (
    <section ref={section} tabIndex={-1} className="eod-section eod-record" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <dl className="eod-record-facts">
        <dt>{t('clearance.record.seq')}</dt>
        <dd>{record.seq}</dd>
        <dt>{t('clearance.record.desk')}</dt>
        <dd>{record.deskId}</dd>
        <dt>{t('clearance.record.at')}</dt>
        <dd>{new Date(record.at).toLocaleString(i18n.language)}</dd>
        <dt>{t('clearance.record.by')}</dt>
        <dd>{byText(record, t, i18n.language)}</dd>
        <dt>{t('clearance.record.destroyed')}</dt>
        <dd>
          {t('clearance.record.destroyedCounts', {
            notes: sumNotes(d.notes),
            training: d.notes.training,
            jobs: d.outboxJobs,
            quarantined: d.quarantined,
            leftovers: d.leftovers,
          })}
        </dd>
        <dt>{t('clearance.record.besides')}</dt>
        <dd>{t('clearance.record.besidesCounts', { storage: d.rendererStorage ?? 0, clipboard: d.clipboard ?? 0 })}</dd>
        <dt>{t('clearance.record.carriedOver')}</dt>
        <dd>{t('clearance.record.carriedOverCounts', { notes: record.carriedOver.notes, jobs: record.carriedOver.outboxJobs })}</dd>
        <dt>{t('clearance.record.discarded')}</dt>
        <dd>{reasons ? t('clearance.record.discardedWhy', { count: record.discarded.notes, reasons }) : t('clearance.record.discardedCount', { count: record.discarded.notes })}</dd>
        <dt>{t('clearance.record.method')}</dt>
        <dd>
          {t('clearance.record.methodText')} — {record.standard}
        </dd>
        <dt>{t('clearance.record.key')}</dt>
        <dd className="mono eod-hash">{record.destroyedKey ?? t('clearance.record.noKey')}</dd>
        <dt>{t('clearance.record.prev')}</dt>
        <dd className="mono eod-hash">{/^0{64}$/.test(record.prev) ? t('clearance.record.first') : record.prev}</dd>
        <dt>{t('clearance.record.signature')}</dt>
        <dd>{t('clearance.record.signed')}</dd>
      </dl>
      {onExport && <ExportButtons record={record} onExport={onExport} />}
    </section>
  );
}

function ExportButtons({ record, onExport }: { record: DeletionRecord; onExport: (record: DeletionRecord, kind: ExportKind) => Promise<void> }): ReactNode {
  const { t } = useTranslation();
  return (
    <span className="eod-export">
      <button type="button" className="btn btn-quiet" onClick={() => void onExport(record, 'json')}>
        {t('clearance.exportJson', { seq: record.seq })}
      </button>
      <button type="button" className="btn btn-quiet" onClick={() => void onExport(record, 'sheet')}>
        {t('clearance.exportSheet', { seq: record.seq })}
      </button>
    </span>
  );
}

/** Saves `text` as `fileName` through the browser (dev-web; Electron's session refuses downloads, the desk saves there). */
function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function RecordList({ records, onExport }: { records: readonly DeletionRecord[]; onExport: (record: DeletionRecord, kind: ExportKind) => Promise<void> }): ReactNode {
  const { t, i18n } = useTranslation();
  return (
    <section className="eod-section" aria-labelledby="eod-records">
      <h2 id="eod-records">{t('clearance.recordsTitle')}</h2>
      {records.length === 0 ? (
        <p>{t('clearance.noRecords')}</p>
      ) : (
        <table className="eod-records" aria-labelledby="eod-records">
          <thead>
            <tr>
              <th scope="col">{t('clearance.record.seq')}</th>
              <th scope="col">{t('clearance.record.at')}</th>
              <th scope="col">{t('clearance.record.by')}</th>
              <th scope="col">{t('clearance.record.destroyed')}</th>
              <th scope="col">{t('clearance.record.carriedOver')}</th>
              <th scope="col">{t('clearance.record.discarded')}</th>
              <th scope="col">{t('clearance.export')}</th>
            </tr>
          </thead>
          <tbody>
            {[...records].reverse().map((r) => (
              <tr key={r.seq}>
                <td>{r.seq}</td>
                <td>{new Date(r.at).toLocaleString(i18n.language)}</td>
                <td>{byText(r, t, i18n.language)}</td>
                <td>{sumNotes(r.destroyed.notes)}</td>
                <td>{r.carriedOver.notes}</td>
                <td>{r.discarded.notes}</td>
                <td>
                  <ExportButtons record={r} onExport={onExport} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

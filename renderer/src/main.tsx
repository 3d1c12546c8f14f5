/**
 * Renderer entry: i18n first (so even the fatal screen speaks the operator's language), then the
 * API, the desk's state and settings, then the desk.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi, getDeskEvents, NoApiError } from './api/index.js';
import { FloorGate } from './floor/floor-gate.js';
import { clearPageStorageOnClearance } from './floor/page-storage.js';
import { SupervisorDesk } from './floor/supervisor-desk.js';
import { FatalScreen } from './desk/fatal-screen.js';
import { toErrorReport } from './ui/error-report.js';
import i18next from 'i18next';
import { initI18n, setLocale } from './i18n/index.js';
import './styles/desk.css';

async function start(): Promise<void> {
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root');
  const root = createRoot(container);
  await initI18n();
  const fatal = (message: string, detail?: string) =>
    root.render(
      <StrictMode>
        <FatalScreen message={message} detail={detail} />
      </StrictMode>,
    );

  let api;
  try {
    api = getApi();
  } catch (err) {
    if (err instanceof NoApiError) return fatal(i18next.t(err.reason === 'no-token' ? 'fatal.noToken' : 'fatal.noApi'));
    throw err;
  }
  // End of day (issue 10 §1): what the page keeps goes with the desk's clearance.
  clearPageStorageOnClearance(getDeskEvents(), () => [window.localStorage, window.sessionStorage]);
  try {
    const [desk, settings] = await Promise.all([api.getDeskState(), api.getSettings()]);
    await setLocale(settings.locale);
    // The roster's sign-in decides the screen by role (FloorGate). ?view=floor opens the board on a desk
    // whose floor identity is a test fixture (dev-web with KOTOZUTE_FLOOR_FIXTURE, NODE_ENV=test only):
    // the Electron build loads its page with no query, so operators never reach it.
    const floorView = new URLSearchParams(window.location.search).get('view') === 'floor';
    root.render(
      <StrictMode>
        {floorView ? <SupervisorDesk api={api} events={getDeskEvents()} /> : <FloorGate api={api} desk={desk} locale={settings.locale} />}
      </StrictMode>,
    );
  } catch (err) {
    if (err instanceof NoApiError) return fatal(i18next.t(err.reason === 'no-token' ? 'fatal.noToken' : 'fatal.noApi'));
    const r = toErrorReport(err);
    fatal(i18next.t('fatal.startFailed'), [r.message, ...r.details].filter(Boolean).join('\n'));
  }
}

void start();

/**
 * A user agent that stays up: when the OS resumes from sleep the desk's SIP line reconnects and
 * registers afresh by itself. Against a REAL Kamailio on 127.0.0.1 (signalling only, no media), the
 * registrar silently forgets the desk — its WebSocket stays open and nothing tells the page, as when
 * bindings are lost while a laptop sleeps — and the power event "resume", pushed by the harness the
 * way Electron's powerMonitor pushes it through the main process, brings the registration back.
 */
import { startKamailio, type Kamailio } from '../support/kamailio.js';
import { STRINGS } from './support/desk-page.js';
import { expect, openDesk, test } from './support/fixtures.js';
import { callApi, pairDesk, registeredContacts } from './support/live-desk.js';

let kam: Kamailio;

test.beforeAll(async () => {
  kam = await startKamailio();
});
test.afterAll(async () => {
  await kam?.stop();
});

const t = STRINGS.ja;

test('after the OS resumes, the desk opens a fresh connection and registers again without the operator', async ({ page, harness }) => {
  const user = await kam.newUser('desk');
  await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...user });

  // What Chromium sends on the line's WebSockets (not the bridge): sockets opened and REGISTERs.
  const sipSockets: string[] = [];
  let registers = 0;
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith(kam.wsUrl)) return;
    sipSockets.push(ws.url());
    ws.on('framesent', ({ payload }) => {
      if (String(payload).startsWith('REGISTER ')) registers += 1;
    });
  });

  await openDesk(page, harness);
  const indicator = page.getByRole('status', { name: t.pairing.indicator.label, exact: true });
  await expect(indicator).toHaveText(t.pairing.indicator.registered);
  await expect.poll(() => registeredContacts(kam, user.user)).toBe(1);
  expect(sipSockets).toHaveLength(1);
  const registersBefore = registers;

  // The registrar loses the binding; the desk's socket stays up and the page cannot tell.
  await kam.dropRegistrations(user.user);
  await expect.poll(() => registeredContacts(kam, user.user)).toBe(0);
  await expect(indicator).toHaveText(t.pairing.indicator.registered);

  // The OS wakes up. Only this brings the binding back: the line would not refresh it for minutes.
  harness.resume();
  await expect.poll(() => registeredContacts(kam, user.user)).toBe(1);
  // Chromium's reports reach the test on their own connection: wait for them, don't race them.
  await expect.poll(() => sipSockets.length).toBe(2);
  await expect.poll(() => registers).toBeGreaterThan(registersBefore);
  await expect(indicator).toHaveText(t.pairing.indicator.registered);
  expect(harness.log()).toMatch(/"event":"dev-web\.test-power-event".*"pages":[1-9]/);

  await callApi(harness, 'unpairLine');
});

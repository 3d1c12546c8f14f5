/**
 * Pairing a SIP line through Settings › 回線 / Line, against a REAL Kamailio on 127.0.0.1 (registrar
 * with digest authentication; signalling only, so no network namespace is needed): a good password
 * registers and the top bar says so, a bad one is named as such, and ws:// to another computer is
 * refused before any socket opens.
 */
import { generateAdminKeyPair } from '../../electron/main/services/directory/admin-key.js';
import { startKamailio, type Kamailio, type SipUser } from '../support/kamailio.js';
import { expect, test } from './support/fixtures.js';
import { LinePage } from './support/line-page.js';

let kam: Kamailio;

test.beforeAll(async () => {
  kam = await startKamailio();
});
test.afterAll(async () => {
  await kam?.stop();
});

async function newUser(): Promise<SipUser> {
  return kam.newUser('desk');
}

/** Contacts registered for a user; Kamailio 5.6 answers an unknown or emptied AOR with an error, not a 404. */
async function contacts(user: SipUser): Promise<number> {
  return kam.contactCount(user.user).catch((err: unknown) => {
    if (err instanceof Error && /not found|no contacts/i.test(err.message)) return 0;
    throw err;
  });
}

test('pairs with a good password: the desk registers and the top bar says registered', async ({ desk, harness }) => {
  const user = await newUser();
  const p = new LinePage(desk);
  await expect(p.indicator()).toContainText(p.t.topBar.lineTraining);

  await p.open();
  await p.fill({ server: kam.wsUrl, aor: `sip:${user.user}@${kam.domain}`, user: user.user, password: user.password, displayName: '受付 3番' });
  await p.connect();
  await expect(p.outcome()).toHaveText(p.t.pairing.registered);
  await expect.poll(() => contacts(user)).toBe(1);
  // The password field is emptied once saved; the keychain holds it now.
  await expect(p.dialog().getByLabel(p.t.pairing.password, { exact: true })).toHaveValue('');
  await expect(p.dialog().getByLabel(p.t.pairing.password, { exact: true })).toHaveAttribute('placeholder', p.t.pairing.passwordSaved);
  await p.snap('line-settings');
  await p.switchLanguage('en');
  await expect(p.outcome()).toHaveText(p.t.pairing.registered);
  await p.snap('line-settings');
  await p.switchLanguage('ja');
  await p.close();

  await expect(p.indicator()).toHaveText(p.t.pairing.indicator.registered);
  await expect(desk.getByText(p.t.topBar.trainingBadge, { exact: true })).toHaveCount(0);
  // Live without a provisioned directory: said at once, and no sample client will pop.
  await expect(desk.getByRole('alert').filter({ hasText: p.t.topBar.liveWithoutDirectory })).toBeVisible();
  await expect(desk.getByText(p.t.topBar.directoryNone, { exact: true })).toBeVisible();
  await p.snap('live-without-directory');
  expect(harness.log()).not.toContain(user.password);

  // After a reload the desk connects by itself with the password from the keychain.
  await desk.reload();
  await expect(p.indicator()).toHaveText(p.t.pairing.indicator.registered);

  await p.open();
  await p.unpair();
  await p.close();
  await expect(p.indicator()).toContainText(p.t.topBar.lineTraining);
  await expect.poll(() => contacts(user)).toBe(0);
  await expect(desk.getByRole('alert').filter({ hasText: p.t.topBar.liveWithoutDirectory })).toHaveCount(0);
});

test('a wrong password is named as such, and the desk stays offline', async ({ desk }) => {
  const user = await newUser();
  const p = new LinePage(desk);
  await p.open();
  await p.fill({ server: kam.wsUrl, aor: `sip:${user.user}@${kam.domain}`, user: user.user, password: `${user.password}-wrong`, displayName: '受付 3番' });
  await p.connect();
  await expect(p.outcome()).toContainText(p.t.pairing.reason.auth);
  await expect(p.outcome()).toContainText(/SIP (401|403)/);
  await p.snap('wrong-password');
  await p.close();
  await expect(p.indicator()).toContainText(p.t.pairing.indicator.offline);
  await expect(p.indicator()).toContainText(p.t.pairing.reason.auth);
  expect(await contacts(user)).toBe(0);

  await p.open();
  await p.unpair();
  await p.close();
});

test('ws:// to a public host is refused before anything connects or is saved', async ({ desk }) => {
  const sockets: string[] = [];
  desk.on('websocket', (ws) => sockets.push(ws.url()));
  const user = await newUser();
  const p = new LinePage(desk);
  await p.open();
  await p.fill({ server: 'ws://sip.example.com/ws', aor: `sip:${user.user}@${kam.domain}`, user: user.user, password: user.password, displayName: '受付 3番' });
  await p.connect();
  await expect(p.outcome()).toHaveText(p.t.pairing.problem['insecure-remote']);
  // Nothing was saved: no "remove line settings" button, and the desk still trains.
  await expect(p.dialog().getByRole('button', { name: p.t.pairing.disconnect, exact: true })).toHaveCount(0);
  await p.close();
  await expect(p.indicator()).toContainText(p.t.topBar.lineTraining);
  expect(sockets.filter((u) => !u.startsWith('ws://127.0.0.1:') || u.includes('example'))).toEqual([]);
});

test('a provisioning profile file fills in the line; the operator types only the password', async ({ desk }) => {
  const user = await newUser();
  const admin = generateAdminKeyPair();
  const profile = {
    format: 'kotozute-provisioning',
    version: 1,
    line: { server: kam.wsUrl, aor: `sip:${user.user}@${kam.domain}`, authUser: user.user, displayName: 'フロア3' },
    adminPublicKey: admin.publicKeyPem,
  };
  const p = new LinePage(desk);
  await p.open();
  await p.dialog().getByLabel(p.t.pairing.provisioningFile, { exact: true }).setInputFiles({
    name: 'floor-3.kotozute-provisioning.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(profile)),
  });
  await expect(p.outcome()).toHaveText(p.t.pairing.provisioningDone);
  await expect(p.dialog().getByLabel(p.t.pairing.server, { exact: true })).toHaveValue(kam.wsUrl);
  await expect(p.dialog().getByLabel(p.t.pairing.authUser, { exact: true })).toHaveValue(user.user);
  await expect(p.dialog().getByLabel(p.t.pairing.password, { exact: true })).toHaveValue('');

  await p.connect();
  await expect(p.outcome()).toHaveText(p.t.pairing.needPassword);
  await p.dialog().getByLabel(p.t.pairing.password, { exact: true }).fill(user.password);
  await p.connect();
  await expect(p.outcome()).toHaveText(p.t.pairing.registered);

  // A profile that carries a password is refused, naming where it is.
  await p.dialog().getByLabel(p.t.pairing.provisioningFile, { exact: true }).setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...profile, line: { ...profile.line, password: user.password } })),
  });
  await expect(p.outcome()).toContainText(p.t.pairing.provisioningFailed);
  await expect(p.outcome()).toContainText('line.password');

  await p.unpair();
  await p.close();
});

/** What happens when the page opens a WebSocket to `url`: refused by its CSP, or let through. */
async function pageSocket(desk: import('@playwright/test').Page, url: string): Promise<'csp' | 'allowed'> {
  return desk.evaluate(
    (target) =>
      new Promise<'csp' | 'allowed'>((resolve) => {
        const onViolation = (e: SecurityPolicyViolationEvent) => {
          if (e.violatedDirective.startsWith('connect-src') && e.blockedURI.startsWith(target.slice(0, 15))) resolve('csp');
        };
        document.addEventListener('securitypolicyviolation', onViolation);
        try {
          const ws = new WebSocket(target);
          // Opened or refused by the server, not by the policy: the page was allowed to try.
          ws.onopen = ws.onclose = () => setTimeout(() => resolve('allowed'), 200);
        } catch {
          resolve('csp');
        }
      }),
    url,
  );
}

test("the page's CSP reaches no line server while training, and only the paired one after pairing (a reload)", async ({ desk }) => {
  const user = await newUser();
  const p = new LinePage(desk);
  expect(await pageSocket(desk, kam.wsUrl)).toBe('csp');

  await p.open();
  await p.fill({ server: kam.wsUrl, aor: `sip:${user.user}@${kam.domain}`, user: user.user, password: user.password, displayName: '受付 3番' });
  await p.connect();
  // Back from the reload, still in Settings › Line, and registered.
  await expect(p.outcome()).toHaveText(p.t.pairing.registered);
  await p.close();
  expect(await pageSocket(desk, kam.wsUrl)).toBe('allowed');
  // Any other server, even on loopback, stays out of reach.
  expect(await pageSocket(desk, 'ws://127.0.0.1:9/ws')).toBe('csp');

  await p.open();
  await p.unpair();
  await p.close();
});

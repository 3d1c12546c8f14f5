/**
 * The RFC 4475 / RFC 5118 torture suite in the browser: the real desk page, paired through Settings
 * with a hostile SIP-over-WebSocket server on loopback (test/support/hostile-sip-server.ts), gets
 * every message of test/support/sip-torture.ts. The page throws nothing (no `pageerror`), answers
 * each as the RFC expects, and stays registered on the same socket.
 */
import { startHostileSipServer, type HostileSipServer } from '../support/hostile-sip-server.js';
import { runTortureCase, TORTURE_CASES } from '../support/sip-torture.js';
import { expect, test } from './support/fixtures.js';
import { LinePage } from './support/line-page.js';

let server: HostileSipServer;

test.beforeAll(async () => {
  server = await startHostileSipServer();
});

test.afterAll(async () => {
  await server?.close();
});

test('the desk answers every torture message as RFC 4475 / RFC 5118 expect, throws nothing and stays registered', async ({ desk }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  desk.on('pageerror', (error) => errors.push(error.message));
  const target = { user: 'desk-torture', domain: 'kotozute.test' };
  const p = new LinePage(desk);
  await p.open();
  await p.fill({ server: server.url, aor: `sip:${target.user}@${target.domain}`, user: target.user, password: 'pw-torture-e2e' });
  await p.connect();
  await expect(p.outcome()).toHaveText(p.t.pairing.registered);
  await p.close();
  await server.registered();

  const wrong: string[] = [];
  for (const c of TORTURE_CASES) {
    const outcome = await runTortureCase(server, c, target);
    const ok = c.expect === 'none' ? outcome.statuses.length === 0 : outcome.first !== undefined && c.expect.includes(outcome.first.status);
    const headersOk = Object.entries(c.expectHeaders ?? {}).every(([name, pattern]) =>
      pattern.test(outcome.first?.headers.filter(([n]) => n === name).map(([, v]) => v).join(', ') ?? ''),
    );
    if (!ok || !headersOk) wrong.push(`${c.source} ${c.id}: expected ${String(c.expect)}, answered ${outcome.statuses.join(',') || 'nothing'}`);
  }
  expect(wrong).toEqual([]);
  expect(errors).toEqual([]);
  expect(server.connections).toBe(1);
  await expect(p.indicator()).toHaveText(p.t.pairing.indicator.registered);
});

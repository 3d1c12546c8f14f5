/**
 * The fixture of the real-call specs that need one desk and a test phone: a Kamailio of their own,
 * the dev-web harness paired to it (the sample directory, default DTMF mode) and the test phone's page
 * server; Kamailio's log and the harness's tail kept on failure. Media specs run inside a private
 * network namespace (npm run test:e2e:media); `onlyLoopback` says whether this is one.
 */
import { networkInterfaces } from 'node:os';
import { test as base } from '@playwright/test';
import { startKamailio, type Kamailio, type SipUser } from '../../support/kamailio.js';
import { servePhonePage, type PhoneServer } from './caller-page/serve.js';
import { startHarness, type Harness } from './harness.js';
import { directoryWithTargets, pairDesk } from './live-desk.js';

export const onlyLoopback = Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));
export const MEDIA_SKIP_REASON = 'media tests run inside a private network namespace: npm run test:e2e:media';

export interface PairedLine {
  kam: Kamailio;
  harness: Harness;
  phones: PhoneServer;
  deskUser: SipUser;
}

/** A Playwright `test` with a `line` fixture; `label` names the spec in the logs kept on failure. */
export function pairedLineTest(label: string) {
  return base.extend<{ line: PairedLine }>({
    line: async ({}, use, testInfo) => {
      const kam = await startKamailio();
      const deskUser = await kam.newUser('desk');
      const harness = await startHarness();
      const phones = await servePhonePage();
      try {
        await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...deskUser }, {}, directoryWithTargets({}));
        await use({ kam, harness, phones, deskUser });
      } finally {
        if (testInfo.status !== testInfo.expectedStatus) {
          kam.keepLogs();
          console.error(`[${label}] kamailio log kept at ${kam.logPath}\n${harness.log().slice(-3000)}`);
        }
        await phones.close();
        await harness.stop();
        await kam.stop();
      }
    },
  });
}

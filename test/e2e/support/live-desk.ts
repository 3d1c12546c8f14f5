/**
 * Set-up for end-to-end tests of real calls: a signed directory whose staff transfer to SIP users
 * of the test Kamailio, the typed API called from Node over the harness's bridge (to pair the line
 * as the settings screen would), and the desk page's WebRTC statistics.
 */
import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { generateAdminKeyPair, signDirectory } from '../../../electron/main/services/directory/bundle.js';
import type { Directory } from '../../../shared/directory/schema.js';
import type { Kamailio } from '../../support/kamailio.js';
import type { ArgsOf, MethodName, ResultOf } from '../../../shared/ipc/contract.js';
import { signRoster } from '../../../electron/main/services/roster/roster-bundle.js';
import { provisioningProfile } from '../../support/provisioning-profile.js';
import { makeRoster, type FixturePerson } from '../../support/roster-fixture.js';
import type { Harness } from './harness.js';
import { sampleDirectory } from './sample-directory.js';

/** A directory bundle signed for this run, and the admin key a desk pins to trust it. */
export interface SignedDirectory {
  bundle: string;
  publicKeyPem: string;
}

/** The sample directory, with the given staff members transferring to SIP users; signed for this run. */
export function directoryWithTargets(targets: Record<string, string>, base: Directory = sampleDirectory()): SignedDirectory {
  const directory = structuredClone(base);
  for (const client of directory.clients) {
    for (const staff of client.staff) {
      const target = targets[`${client.id}/${staff.id}`];
      if (target) staff.transferTarget = target;
    }
  }
  const keys = generateAdminKeyPair();
  return { bundle: signDirectory(JSON.stringify(directory), keys.privateKeyPem).toString('utf8'), publicKeyPem: keys.publicKeyPem };
}

/** Calls one method of the typed API through the harness's bridge, as the page would. */
export async function callApi<M extends MethodName>(harness: Harness, method: M, arg?: ArgsOf<M>): Promise<ResultOf<M>> {
  const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/bridge?token=${harness.token}`, { headers: { Origin: harness.origin } });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const reply = await new Promise<{ envelope: { ok: boolean; value?: unknown; error?: { message: string } } }>((resolve, reject) => {
      // Only the reply to our id: the bridge also pushes desk events (frames without an id).
      const onMessage = (data: WebSocket.RawData) => {
        const frame = JSON.parse(data.toString()) as { id?: unknown; envelope?: never };
        if (frame.id !== 1 || frame.envelope === undefined) return;
        ws.off('message', onMessage);
        resolve(frame as never);
      };
      ws.on('message', onMessage);
      ws.once('close', () => reject(new Error(`bridge closed during ${method}`)));
      ws.send(JSON.stringify({ id: 1, method, arg }));
    });
    if (!reply.envelope.ok) throw new Error(`${method} failed: ${reply.envelope.error?.message ?? 'unknown'}`);
    return reply.envelope.value as ResultOf<M>;
  } finally {
    ws.close();
  }
}

/**
 * Pairs the desk with a SIP account of the test server, as a floor is set up: the provisioning
 * profile (line, pinned admin key, directory bundle — the sample directory unless one is given),
 * then the line settings and password (profile to the store, password to the keychain). A live desk
 * pops only from a provisioned directory.
 */
export async function pairDesk(
  harness: Harness,
  account: { wsUrl: string; domain: string; user: string; password: string },
  extra: Partial<ArgsOf<'pairLine'>['profile']> = {},
  directory: SignedDirectory = directoryWithTargets({}),
): Promise<void> {
  const profile = {
    server: account.wsUrl,
    aor: `sip:${account.user}@${account.domain}`,
    authUser: account.user,
    displayName: 'Desk',
    iceServers: [],
    maxCalls: 2,
    dtmfMode: 'rfc4733' as const,
    ...extra,
  };
  await callApi(harness, 'importProvisioning', {
    profile: JSON.stringify({
      format: 'kotozute-provisioning',
      version: 1,
      line: profile,
      adminPublicKey: directory.publicKeyPem,
      directoryBundle: directory.bundle,
    }),
  });
  await callApi(harness, 'pairLine', { profile, password: account.password });
}

/**
 * Keeps every RTCPeerConnection the page creates in `window.__kzPeerConnections`, so the test can
 * read the desk's WebRTC statistics (installed before any of the page's scripts run).
 */
export async function watchPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const list: RTCPeerConnection[] = [];
    (window as unknown as { __kzPeerConnections: RTCPeerConnection[] }).__kzPeerConnections = list;
    const Native = window.RTCPeerConnection;
    class Watched extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        list.push(this);
      }
    }
    window.RTCPeerConnection = Watched;
  });
}

/** RTP audio bytes of the desk's most recent peer connection that is still open. */
export function deskRtp(page: Page): Promise<{ received: number; sent: number; open: number }> {
  return page.evaluate(async () => {
    const list = (window as unknown as { __kzPeerConnections: RTCPeerConnection[] }).__kzPeerConnections;
    const open = list.filter((pc) => pc.connectionState !== 'closed');
    const pc = open[open.length - 1];
    let received = 0;
    let sent = 0;
    if (pc) {
      (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number; bytesSent?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') received += r.bytesReceived ?? 0;
        if (r.type === 'outbound-rtp' && r.kind === 'audio') sent += r.bytesSent ?? 0;
      });
    }
    return { received, sent, open: open.length };
  });
}

/**
 * How many contacts the registrar holds for a user; 0 when none (Kamailio's RPC answers "AOR not
 * found" with a code the shared helper does not treat as empty).
 */
export async function registeredContacts(kam: Pick<Kamailio, 'contactCount'>, user: string): Promise<number> {
  try {
    return await kam.contactCount(user);
  } catch (err) {
    if (err instanceof Error && /not found/i.test(err.message)) return 0;
    throw err;
  }
}

/** Records the desktop notifications the page shows in `window.__kzNotifications` (title and body). */
export async function watchNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    (window as unknown as { __kzNotifications: typeof shown }).__kzNotifications = shown;
    const Native = window.Notification;
    class Watched extends Native {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body ?? '' });
      }
    }
    window.Notification = Watched;
  });
}

/** The notifications shown so far (see {@link watchNotifications}). */
export function notificationsShown(page: Page): Promise<{ title: string; body: string }[]> {
  return page.evaluate(() => (window as unknown as { __kzNotifications: { title: string; body: string }[] }).__kzNotifications);
}

/**
 * Provisions the harness's desk as desk-01 of pbx.example.test on a line that never answers
 * (ws://127.0.0.1:9), with `directory` signed by `admin`: a desk with a real directory and no calls,
 * as the clearance specs need it.
 */
export async function provisionOfflineDesk(harness: Harness, directory: unknown, admin: { publicKeyPem: string; privateKeyPem: string }): Promise<void> {
  await callApi(harness, 'importProvisioning', { profile: provisioningProfile(admin, { directory }) });
}

/**
 * Gives the offline desk (provisionOfflineDesk) a one-desk roster, signed by `admin`, in which it is
 * desk-01 with its own public key, and `people` may sign in at it.
 */
export async function importOneDeskRoster(harness: Harness, admin: { privateKeyPem: string }, people: FixturePerson[]): Promise<void> {
  const identity = await callApi(harness, 'deskIdentity');
  if (!identity.ok) throw new Error(identity.message);
  const fixture = await makeRoster({ desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test', name: '受付01' }], people });
  const roster = { ...fixture.roster, desks: [{ ...fixture.roster.desks[0]!, publicKey: identity.publicKey }] };
  await callApi(harness, 'importRoster', { bundle: signRoster(JSON.stringify(roster), admin.privateKeyPem).toString('utf8') });
}

/**
 * A provisioning profile as an administrator hands it to a desk (importProvisioning): the line, the
 * admin's public key, and optionally the directory and the team roster, both signed with that admin's
 * key. The line defaults to a server nobody listens on, for desks that never place a call.
 */
import { signDirectory } from '../../electron/main/services/directory/bundle.js';
import { signRoster } from '../../electron/main/services/roster/roster-bundle.js';

export interface ProfileOptions {
  line?: Record<string, unknown>;
  directory?: unknown;
  roster?: unknown;
}

export const OFFLINE_LINE = { server: 'ws://127.0.0.1:9/ws', aor: 'sip:desk-01@pbx.example.test' };

export function provisioningProfile(admin: { publicKeyPem: string; privateKeyPem: string }, o: ProfileOptions = {}): string {
  return JSON.stringify({
    format: 'kotozute-provisioning',
    version: 1,
    line: o.line ?? OFFLINE_LINE,
    adminPublicKey: admin.publicKeyPem,
    ...(o.directory === undefined ? {} : { directoryBundle: signDirectory(JSON.stringify(o.directory), admin.privateKeyPem).toString('utf8') }),
    ...(o.roster === undefined ? {} : { rosterBundle: signRoster(JSON.stringify(o.roster), admin.privateKeyPem).toString('utf8') }),
  });
}

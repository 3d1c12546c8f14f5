/**
 * A self-signed certificate made at test time with the system's `openssl`, for servers that a desk
 * must NOT trust (the line's TLS diagnosis). A test that wants the same certificate trusted passes
 * it as an explicit `ca` — only the test's own connection ever trusts it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SelfSignedCert {
  key: string;
  cert: string;
}

/**
 * A key and a self-signed certificate (EC P-256, two days) for the given subjectAltName, e.g.
 * `IP:127.0.0.1,DNS:localhost`. The files are removed at once.
 */
export function selfSignedCert(subjectAltName = 'IP:127.0.0.1,DNS:localhost'): SelfSignedCert {
  const dir = mkdtempSync(path.join(tmpdir(), 'kotozute-self-signed-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', 'server.key', '-out', 'server.crt', '-days', '2', '-subj', '/CN=Kotozute self-signed test',
        '-addext', `subjectAltName=${subjectAltName}`,
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { key: readFileSync(path.join(dir, 'server.key'), 'utf8'), cert: readFileSync(path.join(dir, 'server.crt'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

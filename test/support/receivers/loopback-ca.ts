/**
 * A certificate authority that exists only for one test run, and a server certificate it signed for
 * 127.0.0.1 and localhost. Senders trust it through SendContext.ca, so every hand-off test runs real
 * TLS with verification on — there is no "insecure" switch to forget in production.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface LoopbackCa {
  /** The CA certificate (PEM): pass as SendContext.ca. */
  ca: string;
  /** The server's key and certificate (PEM), for the receivers. */
  key: string;
  cert: string;
}

let cached: LoopbackCa | undefined;

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Generates the CA once per process (about 50 ms with EC keys); the files are removed at once. */
export function loopbackCa(): LoopbackCa {
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), 'kotozute-ca-'));
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(dir, [
      'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Kotozute loopback test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(
      path.join(dir, 'server.ext'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
    );
    openssl(dir, [
      'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext',
    ]);
    const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
    cached = { ca: read('ca.crt'), key: read('server.key'), cert: read('server.crt') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

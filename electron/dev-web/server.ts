/**
 * `npm run dev:web`: the desk in plain Node, served to a browser on 127.0.0.1.
 *
 * DEVELOPMENT AND TEST ONLY. This file is never bundled into the Electron build (the build bundles
 * only electron/main and electron/preload entry points) and refuses to start with
 * NODE_ENV=production or inside a packaged app (see guard.ts).
 *
 * Environment:
 *   KOTOZUTE_WEB_PORT   port on 127.0.0.1 (default 5173; 0 = any free port)
 *   KOTOZUTE_DATA_DIR   where the desk keeps its files (default: the per-user app-data folder)
 *   KOTOZUTE_TRAINING_DIRECTORY, KOTOZUTE_TRAINING_PUBKEY
 *                       tests only: a signed directory bundle and the PEM public key it is checked
 *                       against, used instead of the bundled sample directory in training mode
 *   KOTOZUTE_HANDOFF_CA tests only: a PEM file of an extra CA the hand-off senders trust (the
 *                       loopback receivers' CA); verification is never turned off
 *   KOTOZUTE_FLOOR_FIXTURE tests only (NODE_ENV=test): a JSON file giving this desk a roster, a desk
 *                       key and who is signed in (dev-web/floor-fixture.ts), for the floor tests
 *
 * When ready it prints exactly one line on stdout, `KOTOZUTE_WEB_URL=http://127.0.0.1:PORT/#token=…`
 * (tests read it); logs go to stderr. SIGTERM or SIGINT closes the desk and exits.
 *
 * Tests only (NODE_ENV=test, which the end-to-end harness sets): SIGUSR2 pushes the power event
 * "resume" to the connected pages, as Electron's powerMonitor does after the OS wakes. A signal
 * rather than a bridge method, so the page itself has no way to fake a wake, and only a process of
 * the same user can send it. Without NODE_ENV=test no handler is installed (SIGUSR2 then ends the
 * process, Node's default), and this file is never part of the Electron build. Likewise SIGPWR
 * (Linux) pushes "lock-screen", as when the OS locks its screen (the idle lock locks at once).
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBoundedTextSync } from '../main/services/fs/bounded-read.js';
import { createKeytarKeyStore } from '../main/services/keychain.js';
import { createLogger, logLevelFromEnv, stderrSink, teeSinks } from '../main/services/log.js';
import { openRotatingLog } from '../main/services/log-file.js';
import { redactLogText } from '../../shared/log/redact.js';
import { defaultDataDir } from './app-data-dir.js';
import { refusalReason } from './guard.js';
import { startDevWeb } from './harness.js';
import { floorFixtureFromEnv } from './floor-fixture.js';

const DEFAULT_PORT = 5173;

function fail(message: string): never {
  process.stderr.write(`dev-web: ${message}\n`);
  process.exit(1);
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`KOTOZUTE_WEB_PORT must be 0–65535, not "${text}".`);
  return port;
}

function absoluteOrUndefined(name: string): string | undefined {
  const value = process.env[name];
  if (!value) return undefined;
  return path.resolve(value);
}

async function main(): Promise<void> {
  const refusal = refusalReason({ env: process.env, versions: process.versions, moduleUrl: import.meta.url });
  if (refusal) fail(`refusing to start: ${refusal}`);

  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const env = process.env;
  const dataDir = env.KOTOZUTE_DATA_DIR ? path.resolve(env.KOTOZUTE_DATA_DIR) : defaultDataDir(process.platform, env, homedir());
  // As in the app: every line redacted, to stderr and a size-capped rotating file (logs/ in the data folder).
  const log = createLogger(teeSinks(stderrSink, openRotatingLog({ dir: path.join(dataDir, 'logs') }).sink), logLevelFromEnv(env));
  const floorIdentity = await floorFixtureFromEnv(env);
  const web = await startDevWeb({
    rendererDir: path.join(repo, 'dist', 'renderer'),
    assetsDir: path.join(repo, 'assets'),
    dataDir,
    keyStore: createKeytarKeyStore(),
    log,
    port: parsePort(env.KOTOZUTE_WEB_PORT),
    trainingBundlePath: absoluteOrUndefined('KOTOZUTE_TRAINING_DIRECTORY'),
    trainingPublicKeyPath: absoluteOrUndefined('KOTOZUTE_TRAINING_PUBKEY'),
    // Test-only: the loopback receivers' CA (a PEM file), so hand-offs can be delivered end to end.
    ...(env.KOTOZUTE_HANDOFF_CA ? { handOffCa: readBoundedTextSync(path.resolve(env.KOTOZUTE_HANDOFF_CA), { kind: 'certificate' }) } : {}),
    // Test-only (NODE_ENV=test): a place on the floor from a file the test wrote, instead of the roster service's.
    ...(floorIdentity ? { floorIdentity } : {}),
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('dev-web.stopping', { signal });
    // A desk that cannot close within 5 s still exits: the harness must never outlive its test.
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    web.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (env.NODE_ENV === 'test') {
    process.on('SIGUSR2', () => {
      const pages = web.pushEvent({ type: 'power', event: 'resume' });
      log.info('dev-web.test-power-event', { power: 'resume', pages });
    });
    process.on('SIGPWR', () => {
      const pages = web.pushEvent({ type: 'power', event: 'lock-screen' });
      log.info('dev-web.test-power-event', { power: 'lock-screen', pages });
    });
  }

  process.stdout.write(`KOTOZUTE_WEB_URL=${web.url}\n`);
}

// Whatever failed, its message goes through the one log redactor (it may quote what it choked on).
main().catch((err: unknown) => fail(redactLogText(err instanceof Error ? err.message : String(err))));

// `npm start` runs this before it builds anything: is there an Electron binary to start?
//
// Electron 45's npm package fetches its binary on first use, not at install: node_modules/electron
// /index.js looks for ELECTRON_OVERRIDE_DIST_PATH, else the binary named by path.txt under dist/,
// and when that is missing runs install.js (which downloads from ELECTRON_MIRROR or GitHub). Here
// the same lookup runs first, the fetch too when needed, and a failure is one line saying what to
// do — instead of a full build followed by a download stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A download of ~100 MB on a slow office line; past this the attempt is called failed. */
const FETCH_TIMEOUT_MS = 10 * 60_000;
const REASON_MAX = 160;

const WHAT_TO_DO =
  'set ELECTRON_MIRROR to a mirror this machine can reach, or ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron, ' +
  'or run `npm run dev:web` (the desk in a browser)';

/**
 * Where the electron package would find its binary, without fetching anything (the lookup of
 * node_modules/electron/index.js). `found`: the binary; `override-missing`: the override names a
 * folder without it; `not-fetched`: the package would try to download it.
 *
 * @param {{ electronDir: string, env: Record<string, string | undefined>, exists: (p: string) => boolean, read: (p: string) => string | null }} o
 * @returns {{ state: 'found' | 'override-missing' | 'not-fetched', binary: string | null }}
 */
export function locateElectron({ electronDir, env, exists, read }) {
  const named = read(path.join(electronDir, 'path.txt'));
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = path.join(override, named || 'electron');
    return { state: exists(binary) ? 'found' : 'override-missing', binary };
  }
  if (named) {
    const binary = path.join(electronDir, 'dist', named);
    if (exists(binary)) return { state: 'found', binary };
  }
  return { state: 'not-fetched', binary: null };
}

/** The first line of a failed fetch's output that says something, shortened. */
export function fetchFailureReason(output) {
  const line = String(output ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0 && l !== 'Downloading Electron binary...');
  if (!line) return 'no reason given';
  return line.length > REASON_MAX ? `${line.slice(0, REASON_MAX - 1)}…` : line;
}

/**
 * The whole check. Null when Electron can start, else the one line to print.
 *
 * @param {{ electronDir: string | null, version: string | null, env: Record<string, string | undefined>,
 *   exists: (p: string) => boolean, read: (p: string) => string | null,
 *   fetch: () => { ok: boolean, output: string } }} o
 * @returns {string | null}
 */
export function checkElectron({ electronDir, version, env, exists, read, fetch }) {
  if (electronDir === null) {
    return `npm start: the electron package is not installed (run \`npm install\`), or ${WHAT_TO_DO}.`;
  }
  const named = `Electron ${version ?? ''}`.trim();
  const found = locateElectron({ electronDir, env, exists, read });
  if (found.state === 'found') return null;
  if (found.state === 'override-missing') {
    return `npm start: ELECTRON_OVERRIDE_DIST_PATH has no ${named} binary (${found.binary}): point it at an unpacked ${named}, or run \`npm run dev:web\`.`;
  }
  const fetched = fetch();
  if (fetched.ok && locateElectron({ electronDir, env, exists, read }).state === 'found') return null;
  return `npm start: ${named} could not be fetched (${fetchFailureReason(fetched.output)}): ${WHAT_TO_DO}.`;
}

function readOrNull(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function main() {
  const require = createRequire(import.meta.url);
  let electronDir = null;
  let version = null;
  try {
    const pkg = require.resolve('electron/package.json');
    electronDir = path.dirname(pkg);
    version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  } catch {
    // not installed: said below
  }
  const problem = checkElectron({
    electronDir,
    version,
    env: process.env,
    exists: existsSync,
    read: readOrNull,
    fetch: () => {
      console.log(`Fetching Electron ${version} (once; ELECTRON_MIRROR chooses where from)…`);
      const run = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
        encoding: 'utf8',
        timeout: FETCH_TIMEOUT_MS,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = run.error ? run.error.message : `${run.stderr}\n${run.stdout}`;
      return { ok: run.status === 0, output };
    },
  });
  if (problem !== null) {
    console.error(problem);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();

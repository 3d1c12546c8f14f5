// `npm run lint:electron` (part of `npm test`): Electronegativity 1.10 over the Electron main
// process, the preload and the page's HTML, offline, and zero findings or a failure.
//
// - Offline: Electronegativity fetches translations and Electron's release list at start; the
//   --import shim (scripts/no-network.mjs) refuses every such request before a socket opens, and
//   the run has a time limit.
// - AvailableSecurityFixesGlobalCheck is excluded: it compares the Electron version against the
//   release list it would download from GitHub; keeping Electron current is Dependabot's and the
//   release checklist's job, not a test's.
// - The input is a staging copy of electron/ and renderer/index.html: global checks (navigation
//   limits, permission handlers, the CSP) need the main process and the page in one run, and the
//   rest of renderer/ is React code with nothing Electron in it.
// - Suppressions are `eng-disable` comments in the code, each with its reason beside it.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
const SHIM = pathToFileURL(path.join(ROOT, 'scripts', 'no-network.mjs')).href;
const TIME_LIMIT_MS = 120_000;

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const electronVersion = String(pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? '').replace(/^[^\d]*/, '');
if (!/^\d+\.\d+\.\d+/.test(electronVersion)) {
  console.error(`electronegativity: cannot read the Electron version from package.json ("${electronVersion}")`);
  process.exit(2);
}

const stage = mkdtempSync(path.join(tmpdir(), 'kotozute-electronegativity-'));
try {
  cpSync(path.join(ROOT, 'electron'), path.join(stage, 'electron'), { recursive: true });
  mkdirSync(path.join(stage, 'renderer'));
  cpSync(path.join(ROOT, 'renderer', 'index.html'), path.join(stage, 'renderer', 'index.html'));
  const out = path.join(stage, 'findings.csv');
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', SHIM, CLI, '-i', stage, '-e', electronVersion, '-x', 'AvailableSecurityFixesGlobalCheck', '-r', '-o', out],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'en-US' } },
    );
    let log = '';
    const keep = (chunk) => {
      log = (log + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      console.error(`electronegativity: no result within ${TIME_LIMIT_MS / 1000} s`);
    }, TIME_LIMIT_MS);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (status !== 0) console.error(log);
      resolve(status ?? 1);
    });
  });
  if (code !== 0) {
    console.error(`electronegativity: exited with ${code}`);
    process.exit(2);
  }
  const rows = readFileSync(out, 'utf8').split('\n').slice(1).filter((line) => line.trim() !== '');
  if (rows.length > 0) {
    console.error(`electronegativity: ${rows.length} finding(s) on electron/ and renderer/index.html:`);
    for (const row of rows) console.error(`  ${row}`);
    console.error('Fix each, or suppress it with an `eng-disable CHECK_NAME` comment and the reason beside it.');
    process.exit(1);
  }
  console.log(`electronegativity (Electron ${electronVersion}): 0 findings on electron/ and renderer/index.html`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}

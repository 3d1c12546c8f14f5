#!/usr/bin/env node
// kotozute-admin launcher. Uses the built CLI (dist/admin/cli.js) when there is one and it is newer
// than the sources it was built from; otherwise runs the TypeScript through tsx, so a fresh checkout
// works after `npm ci` with no build step, and an edited checkout never runs a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';

const here = (p) => new URL(p, import.meta.url);
const built = here('../dist/admin/cli.js');
const source = here('../electron/admin/cli.ts');
// Everything the CLI bundle can import from: any change below these folders makes the build stale.
const SOURCE_DIRS = ['../electron/admin/', '../electron/main/services/', '../shared/'];

function newestSourceMtime() {
  let newest = 0;
  for (const dir of SOURCE_DIRS) {
    for (const entry of readdirSync(here(dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) {
        newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
      }
    }
  }
  return newest;
}

const useBuilt = existsSync(built) && (!existsSync(source) || statSync(built).mtimeMs >= newestSourceMtime());
let cli;
if (useBuilt) {
  cli = await import(built.href);
} else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write('kotozute-admin: needs either a build (npm run build) or the tsx dev dependency (npm ci).\n');
    process.exit(1);
  }
  cli = await import(source.href);
}
process.exitCode = await cli.main(process.argv.slice(2));

/**
 * Re-signs the bundled training directory after assets/training/sample-directory.json changes:
 * `npm run sample:sign` (node --import tsx scripts/sign-sample.ts).
 *
 * signDirectory checks the schema and duplicate numbers before it signs, so an invalid sample is
 * refused here, with the JSON path and the client, rather than by every desk in training mode.
 * The new bundle is then opened with the demo public key, as the desk would, before it is written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBundle, signDirectory } from '../electron/main/services/directory/bundle.js';
import { ApiError } from '../shared/ipc/errors.js';

const trainingDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'training');
const files = {
  directory: path.join(trainingDir, 'sample-directory.json'),
  privateKey: path.join(trainingDir, 'demo-admin.key'),
  publicKey: path.join(trainingDir, 'demo-admin.pub'),
  bundle: path.join(trainingDir, 'sample-directory.bundle.json'),
};

function main(): void {
  // Sign the file's exact bytes: the unit test compares the bundle's payload with them.
  const directoryBytes = readFileSync(files.directory);
  const bundle = signDirectory(directoryBytes, readFileSync(files.privateKey, 'utf8'));
  const bundleText = `${JSON.stringify(bundle, null, 2)}\n`;
  // A key pair that does not match would leave training mode with no directory at all.
  const { directory, keyId } = openBundle(bundleText, readFileSync(files.publicKey, 'utf8'));
  writeFileSync(files.bundle, bundleText);
  const dids = directory.clients.reduce((n, c) => n + c.dids.length, 0);
  console.log(
    `Signed ${path.relative(process.cwd(), files.bundle)}: ${directory.clients.length} clients, ${dids} numbers, key ${keyId}.`,
  );
}

try {
  main();
} catch (err) {
  if (err instanceof ApiError) {
    console.error(`sign-sample: ${err.message}`);
    for (const line of err.details) console.error(`  ${line}`);
  } else {
    console.error(`sign-sample: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exitCode = 1;
}

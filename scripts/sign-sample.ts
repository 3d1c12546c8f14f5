/**
 * Re-signs the bundled training directory after assets/training/sample-directory.json changes:
 * `npm run sample:sign` (node --import tsx scripts/sign-sample.ts).
 *
 * signDirectory checks the schema and duplicate numbers before it signs, so an invalid sample is
 * refused here, with the JSON path and the client, rather than by every desk in training mode.
 * The new bundle is then opened with the demo public key and fully checked before it is written.
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
  bundle: path.join(trainingDir, 'sample-directory.kzdir'),
};

function main(): void {
  // The unit test checks that the bundle's payload parses to the same JSON as this file.
  const bundle = signDirectory(readFileSync(files.directory), readFileSync(files.privateKey, 'utf8'));
  // A key pair that does not match would leave training mode with no directory at all.
  const { index, keyId } = openBundle(bundle, readFileSync(files.publicKey, 'utf8'), { full: true });
  writeFileSync(files.bundle, bundle);
  console.log(`Signed ${path.relative(process.cwd(), files.bundle)}: ${index.size} clients, ${index.didCount} numbers, key ${keyId}.`);
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

/**
 * A harness whose training directory is the given one, signed for this run with a fresh admin key
 * (the dev-web override KOTOZUTE_TRAINING_DIRECTORY / _PUBKEY). Stopping it removes the bundle too.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateAdminKeyPair, signDirectory } from '../../../electron/main/services/directory/bundle.js';
import type { DirectoryInput } from '../../../shared/directory/schema.js';
import { startHarness, type Harness } from './harness.js';

export async function startTrainingHarness(directory: DirectoryInput): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-training-'));
  const keys = generateAdminKeyPair();
  const bundlePath = path.join(dir, 'directory.kzdir');
  const pubPath = path.join(dir, 'directory.pub');
  // The signed bundle's bytes, written as they are.
  await writeFile(bundlePath, signDirectory(JSON.stringify(directory), keys.privateKeyPem));
  await writeFile(pubPath, keys.publicKeyPem);
  const harness = await startHarness({ env: { KOTOZUTE_TRAINING_DIRECTORY: bundlePath, KOTOZUTE_TRAINING_PUBKEY: pubPath } }).catch(async (err: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    ...harness,
    stop: async () => {
      await harness.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The bundled sample directory that training mode runs on. It is signed with a demo key that ships
 * in assets/training/ and is trusted for this purpose only: a provisioned directory is always checked
 * against the admin key pinned at pairing, never against the demo key.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeskState, DirectoryStatus } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import type { Directory } from '../../../shared/directory/schema.js';
import { openBundle, readBundleFile } from './directory/bundle.js';
import { buildDirectoryIndex, type DirectoryIndex } from './directory/directory-index.js';

export interface LoadedDirectory {
  index: DirectoryIndex;
  status: DirectoryStatus;
}

export const EMPTY_DIRECTORY: LoadedDirectory = {
  index: buildDirectoryIndex({
    format: 'kotozute-directory',
    version: 1,
    publishedAt: '1970-01-01T00:00:00Z',
    publisher: '-',
    clients: [],
  }),
  status: { source: 'none', publisher: '', publishedAt: '', clients: 0, dids: 0, keyId: '' },
};

/** Indexes a verified directory and describes it for the status line. */
export function describeDirectory(
  directory: Directory,
  keyId: string,
  source: DirectoryStatus['source'],
): LoadedDirectory {
  const index = buildDirectoryIndex(directory);
  return {
    index,
    status: {
      source,
      publisher: directory.publisher,
      publishedAt: directory.publishedAt,
      clients: index.clients.length,
      dids: index.didCount,
      keyId,
    },
  };
}

export async function loadTrainingDirectory(o: {
  assetsDir: string;
  trainingBundlePath?: string;
  trainingPublicKeyPath?: string;
}): Promise<{ directory: LoadedDirectory; warning: DeskState['warnings'][number] | null }> {
  const bundlePath = o.trainingBundlePath ?? path.join(o.assetsDir, 'training', 'sample-directory.bundle.json');
  const keyPath = o.trainingPublicKeyPath ?? path.join(o.assetsDir, 'training', 'demo-admin.pub');
  try {
    const [bundle, publicKeyPem] = await Promise.all([readBundleFile(bundlePath), readFile(keyPath, 'utf8')]);
    const { directory, keyId } = openBundle(bundle, publicKeyPem);
    return { directory: describeDirectory(directory, keyId, 'training-sample'), warning: null };
  } catch (err) {
    const reason = err instanceof ApiError ? [err.message, ...err.details.slice(0, 3)].join(' ') : String(err);
    return {
      directory: EMPTY_DIRECTORY,
      warning: { code: 'training-directory-invalid', message: `The training directory could not be loaded: ${reason}` },
    };
  }
}

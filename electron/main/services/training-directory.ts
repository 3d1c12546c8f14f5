/**
 * The bundled sample directory that training mode runs on. It is signed with a demo key that ships
 * in assets/training/ and is trusted for this purpose only: a provisioned directory is always checked
 * against the admin key pinned at pairing, never against the demo key.
 */
import path from 'node:path';
import type { DeskState, DirectoryStatus } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { openBundle, readBundleFile, type OpenedDirectory } from './directory/bundle.js';
import { readBoundedText } from './fs/bounded-read.js';
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

/** Describes an opened directory for the status line. */
export function describeDirectory(opened: OpenedDirectory, source: DirectoryStatus['source']): LoadedDirectory {
  const { index } = opened;
  return {
    index,
    status: {
      source,
      publisher: opened.publisher,
      publishedAt: opened.publishedAt,
      clients: index.size,
      dids: index.didCount,
      keyId: opened.keyId,
    },
  };
}

export async function loadTrainingDirectory(o: {
  assetsDir: string;
  trainingBundlePath?: string;
  trainingPublicKeyPath?: string;
}): Promise<{ directory: LoadedDirectory; warning: DeskState['warnings'][number] | null }> {
  const bundlePath = o.trainingBundlePath ?? path.join(o.assetsDir, 'training', 'sample-directory.kzdir');
  const keyPath = o.trainingPublicKeyPath ?? path.join(o.assetsDir, 'training', 'demo-admin.pub');
  try {
    const [bundle, publicKeyPem] = await Promise.all([readBundleFile(bundlePath), readBoundedText(keyPath, { kind: 'key' })]);
    // The start-up check: each client is parsed and validated when it first pops.
    return { directory: describeDirectory(openBundle(bundle, publicKeyPem), 'training-sample'), warning: null };
  } catch (err) {
    const reason = err instanceof ApiError ? [err.message, ...err.details.slice(0, 3)].join(' ') : String(err);
    return {
      directory: EMPTY_DIRECTORY,
      warning: { code: 'training-directory-invalid', message: `The training directory could not be loaded: ${reason}` },
    };
  }
}

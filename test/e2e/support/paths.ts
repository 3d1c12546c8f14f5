/** Folders the end-to-end suite reads and writes. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SCREENSHOTS = path.join(REPO, 'test-results', 'screenshots');
export const HARNESS_ENTRY = path.join(REPO, 'electron', 'dev-web', 'server.ts');

/**
 * Drill child: the end-of-day clearance of a desk's data directory (the real keychain, vault, audit
 * and sealed outbox), as test/integration/clearance/clear-desk-crash.test.ts runs it, except that it
 * does not choose when it dies: the drill SIGKILLs it at a random moment. Prints `start` just before
 * the clearance and `survived <ms>` if it got to the end.
 */
import path from 'node:path';
import { clearDesk } from '../../../electron/main/services/clearance/clearance.js';
import { openAuditLog } from '../../../electron/main/services/audit/audit-log.js';
import { privateKeyFromSeed } from '../../../electron/main/services/roster/ed25519.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import type { Settlement } from '../../../shared/clearance/schema.js';
import type { OutboxJob } from '../../../electron/main/services/outbox/job.js';
import type { NoteMeta } from '../../../electron/main/services/vault/vault.js';
import { keyStoreFor, outboxStoreOf } from '../../../test/integration/clearance/clearance-fixture.js';
import { childInput } from '../drill-harness.js';

const input = childInput<{ service: string; dataDir: string; notes: NoteMeta[]; jobs: OutboxJob[]; settlements: Settlement[]; seed: string }>();
const keyStore = keyStoreFor(input.service, input.dataDir);
const deps = {
  dataDir: input.dataDir,
  keyStore,
  audit: openAuditLog({ dir: path.join(input.dataDir, 'audit') }),
  outboxStore: await outboxStoreOf(keyStore, input.dataDir),
  log: nullLogger,
};
process.stdout.write('start\n');
const started = performance.now();
await clearDesk(deps, {
  notes: input.notes,
  jobs: input.jobs,
  settlements: input.settlements,
  confirmedBy: { personId: 'sl-001', role: 'shift-lead' },
  deskId: 'desk-01',
  deskKey: privateKeyFromSeed(Buffer.from(input.seed, 'base64url')),
});
process.stdout.write(`survived ${Math.round(performance.now() - started)}\n`);

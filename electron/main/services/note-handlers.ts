/**
 * Notes, hand-off, the outbox and the audit trail on the API (issue 4, DESIGN.md §4 "Life of a note").
 *
 * The desk takes notes only when the OS keychain holds their keys: without it every method here
 * refuses with 'keychain-unavailable' — there is no plaintext fallback. With it, the vault
 * (<dataDir>/vault), the audit trail (<dataDir>/audit) and the outbox (its own sealed store) open
 * at start, retention runs at once and every minute, and the outbox resumes what the last run left.
 *
 * A note's call context comes from the main process's own record of the call (ctx.calls), never
 * from the renderer; after a restart the note is found again by its call id.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ApiHandlers } from '../../../shared/ipc/contract.js';
import type { Client } from '../../../shared/directory/schema.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import {
  GENERIC_MESSAGE_FIELDS,
  type AuditView,
  type NoteForm,
  type NoteSummary,
  type NoteView,
  type OutboxJobView,
} from '../../../shared/ipc/notes-contract.js';
import { AuditHeadSchema, formatHead, openAuditLog, verifyAuditChain, type AuditEvent, type AuditLog } from './audit/audit-log.js';
import { readBoundedTextSync } from './fs/bounded-read.js';
import type { DeskContext } from './desk-context.js';
import { createHandOffService, type HandOffService } from './handoff/hand-off-service.js';
import { createSenders } from './handoff/senders.js';
import { getOrCreateKey, KeychainError, type KeychainFailure } from './keychain.js';
import { OutboxError, type OutboxJob } from './outbox/outbox.js';
import { openEncryptedStore, type EncryptedStore } from './secure-store.js';
import { recoverClearance, type ClearanceDeps } from './clearance/clearance.js';
import { openVault, SHIFT_KEK_ACCOUNT, type NoteMeta, type Vault } from './vault/vault.js';
import { outboxJobView } from './outbox/job-view.js';

export type NoteHandlers = Pick<
  ApiHandlers,
  | 'openNote'
  | 'saveNote'
  | 'handOffNote'
  | 'discardNote'
  | 'listNotes'
  | 'listOutbox'
  | 'retryOutboxJob'
  | 'getAudit'
  | 'setHandOffSecret'
>;

/** The keychain account of the outbox store's key (the outbox has a store of its own). */
export const OUTBOX_STORE_KEY_ACCOUNT = 'outbox-store-key';
/** Where a hand-off secret named `ref` in the directory is kept in the desk's encrypted store. */
export const secretKey = (ref: string): string => `secrets.${ref}`;
/** Retention of a note whose client is unknown (unknown number, or no longer in the directory). */
export const DEFAULT_RETENTION_HOURS = 24;
const EXPIRY_INTERVAL_MS = 60_000;
/** How often a vault that could not open again after a clearance (a locked keychain) is retried. */
const REOPEN_RETRY_MS = 2_000;
/** Main-store key of the audit trail's head (audit-head.ts), checked against the file at start. */
export const AUDIT_HEAD_KEY = 'audit.head';

const REFUSAL =
  'The desk refuses to take notes without the OS keychain: each note is sealed with a key that only the keychain may hold, and nothing is ever written in plaintext.';

/**
 * Every note method answering the same clear refusal. The keychain's reason ('locked', …), when
 * known, comes first in the details: the page says it in the operator's language.
 */
function refusingHandlers(reason: string, failure?: KeychainFailure): NoteHandlers {
  return unavailable(new ApiError('keychain-unavailable', `${REFUSAL} ${reason}`.trim(), failure ? [failure, reason] : [reason]));
}

/** Every note method answering `error`: the rest of the desk (the pop, the line) keeps working. */
function unavailable(error: ApiError): NoteHandlers {
  const refuse = (): never => {
    throw error;
  };
  return {
    openNote: refuse,
    saveNote: refuse,
    handOffNote: refuse,
    discardNote: refuse,
    listNotes: refuse,
    listOutbox: refuse,
    retryOutboxJob: refuse,
    getAudit: refuse,
    setHandOffSecret: refuse,
  };
}

export async function createNoteHandlers(ctx: DeskContext): Promise<NoteHandlers> {
  const { store, log } = ctx;
  if (!ctx.keychain.ok || store === null) {
    if (!ctx.keychain.ok) return refusingHandlers(ctx.keychain.message, ctx.keychain.reason);
    return refusingHandlers('The encrypted store is not open.');
  }

  const { dataDir, keyStore } = ctx.options;
  let openedAudit: AuditLog | undefined;
  let openedVault: Vault | undefined;
  let service: HandOffService;
  let outboxStore: EncryptedStore;
  // One push per burst of outbox changes, after the change's consequences (a note wiped) have happened.
  let pushPending = false;
  const pushOutboxChanged = () => {
    const push = ctx.options.pushEvent;
    if (!push || pushPending) return;
    pushPending = true;
    setTimeout(() => {
      pushPending = false;
      push({ type: 'outbox-changed' });
    }, 0).unref();
  };
  const makeService = (vault: Vault, audit: AuditLog, outbox: EncryptedStore): HandOffService => {
    const made = createHandOffService({
      vault,
      audit,
      store: outbox,
      senders: createSenders(),
      directory: { byId: clientById },
      secrets: (ref) => store.get(secretKey(ref), z.string()),
      log,
      now: ctx.now,
      ...(ctx.options.handOffCa === undefined ? {} : { ca: ctx.options.handOffCa }),
    });
    made.outbox.onChange(pushOutboxChanged);
    return made;
  };
  try {
    const audit = openAuditLog({
      dir: path.join(dataDir, 'audit'),
      now: ctx.now,
      head: { load: () => store.get(AUDIT_HEAD_KEY, AuditHeadSchema), save: (h) => store.set(AUDIT_HEAD_KEY, h) },
    });
    if (audit.rolledBack) {
      const { movedTo, kept, detail } = audit.rolledBack;
      ctx.warnings.push({
        code: 'audit-rolled-back',
        message:
          `The audit trail does not reach the head this desk kept (${formatHead(kept)}): ${detail}. ` +
          (movedTo === null ? 'A new trail began.' : `It was kept as ${movedTo} and a new trail began.`) +
          ' Tell the shift lead: the file was cut short, replaced or restored from an older copy.',
      });
    }
    if (audit.movedAside) {
      ctx.warnings.push({
        code: 'audit-restarted',
        message: `The audit trail failed its chain check at line ${audit.movedAside.line} (${audit.movedAside.reason}); it was kept as ${audit.movedAside.movedTo} and a new trail began.`,
      });
    }
    openedAudit = audit;
    ctx.audit = audit;
    const outboxKey = await getOrCreateKey(keyStore, OUTBOX_STORE_KEY_ACCOUNT);
    const opened = openEncryptedStore({ dir: dataDir, name: 'outbox', key: outboxKey });
    outboxKey.fill(0);
    if (opened.quarantined) {
      ctx.warnings.push({
        code: 'store-quarantined',
        message: `The outbox could not be read (${opened.quarantined.reason}); it was moved aside to ${opened.quarantined.movedTo}.`,
      });
    }
    outboxStore = opened.store;
    // A clearance cut short (issue 10) is rolled back or finished before any note can be opened.
    const recovered = await recoverClearance({ dataDir, keyStore, audit, outboxStore, log, now: ctx.now });
    if (recovered === 'finished') ctx.warnings.push({ code: 'clearance-finished', message: 'A clearance cut short last time was finished at start: the desk is cleared.' });
    const vault = await openVault({ dir: path.join(dataDir, 'vault'), keyStore, audit, log, now: ctx.now });
    openedVault = vault;
    for (const q of vault.quarantined()) {
      ctx.warnings.push({ code: 'note-quarantined', message: `A note could not be opened (${q.reason}) and was moved aside to ${q.movedTo}.` });
    }
    service = makeService(vault, audit, outboxStore);
  } catch (err) {
    openedVault?.close();
    openedAudit?.close();
    if (err instanceof ApiError && err.code === 'keychain-unavailable') return refusingHandlers(err.message, keychainFailureIn(err.details));
    if (err instanceof KeychainError) return refusingHandlers(err.message, err.reason);
    // A vault or audit folder the desk cannot use must not stop the desk from starting: notes are
    // refused, with the cause, and nothing is written anywhere else instead.
    const cause = err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
    log.error('notes.unavailable', { error: err instanceof Error ? err.name : 'unknown' });
    ctx.warnings.push({ code: 'notes-unavailable', message: `Notes cannot be taken on this desk: the vault could not be opened (${cause}).` });
    return unavailable(new ApiError('internal', `Notes cannot be taken on this desk: the vault could not be opened (${cause}).`));
  }
  // Both are open once the try block completed (its catch always returns).
  const audit: AuditLog = openedAudit;
  ctx.audit = audit;
  let vault: Vault = openedVault;
  const outbox: EncryptedStore = outboxStore;
  let suspended = false;

  /**
   * Why the vault is closed when a clearance could not open it again (the keychain locked meanwhile),
   * else null. The desk is then not half-open: every note method refuses with this error (the
   * keychain's reason in its details, which the page shows in words), and the vault is opened again
   * as soon as the keychain answers (retried every REOPEN_RETRY_MS, and at each refused call).
   */
  let closedBy: ApiError | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let reopening: Promise<void> | null = null;

  // The clearance (clearance-handlers.ts) works on the vault's and the outbox's files with both closed.
  const whileOpen = (): HandOffService => {
    if (suspended) throw new ApiError('not-allowed', 'A clearance is under way on this desk.');
    refuseWhileClosed();
    return service;
  };
  function refuseWhileClosed(): void {
    if (closedBy === null) return;
    void tryReopen();
    throw closedBy;
  }
  /** The clearance, finished if it was cut short after its commit, then the vault and outbox open again. */
  async function reopen(deps: ClearanceDeps): Promise<void> {
    // A clearance cut short after its commit (the keychain failed mid-way) is finished before the
    // vault opens again: opened first, the vault would make a fresh shift key and quarantine the
    // carried-over notes.
    await recoverClearance(deps);
    vault = await openVault({ dir: path.join(dataDir, 'vault'), keyStore, audit, log, now: ctx.now });
    service = makeService(vault, audit, outbox);
    service.outbox.start();
    timer = setInterval(expireNow, EXPIRY_INTERVAL_MS);
    timer.unref();
  }
  function tryReopen(): Promise<void> {
    if (closedBy === null || reopening) return reopening ?? Promise.resolve();
    reopening = reopen({ dataDir, keyStore, audit, outboxStore: outbox, log, now: ctx.now })
      .then(() => {
        closedBy = null;
        clearInterval(retryTimer);
        log.info('notes.reopened');
        pushOutboxChanged();
      })
      .catch((err: unknown) => {
        closedBy = closedError(err);
      })
      .finally(() => {
        reopening = null;
      });
    return reopening;
  }
  /** The keychain answers (a locked keyring says so here, before anything is stopped or closed). */
  async function keychainAnswers(): Promise<void> {
    try {
      await keyStore.get(SHIFT_KEK_ACCOUNT);
    } catch (err) {
      if (!(err instanceof KeychainError)) throw err;
      throw new ApiError('keychain-unavailable', `The keychain did not answer, so nothing was cleared and nothing changed. ${err.message}`, [err.reason]);
    }
  }
  ctx.notesPort = {
    notes: () => {
      refuseWhileClosed();
      return vault.list();
    },
    jobs: () => {
      refuseWhileClosed();
      return service.outbox.list();
    },
    sendAgain: (noteId) => void whileOpen().sendAgain(noteId),
    sendByFallback: (noteId) => void whileOpen().sendByFallback(noteId),
    async suspended(fn) {
      if (suspended) throw new ApiError('not-allowed', 'A clearance is already under way on this desk.');
      refuseWhileClosed();
      await keychainAnswers();
      if (suspended) throw new ApiError('not-allowed', 'A clearance is already under way on this desk.');
      suspended = true;
      clearInterval(timer);
      await service.outbox.stop();
      await vault.whenFilesRemoved();
      // What is held, read once nothing moves any more (the outbox stopped), then the vault closes.
      const held = { notes: vault.list(), jobs: service.outbox.list() };
      vault.close();
      const deps = { dataDir, keyStore, audit, outboxStore: outbox, log, now: ctx.now };
      let failure: unknown = null;
      let result: Awaited<ReturnType<typeof fn>> | undefined;
      try {
        result = await fn(deps, held);
      } catch (err) {
        failure = err;
      }
      try {
        // Whatever happened, the vault opens again: as before (refused, rolled back) or cleared.
        await reopen(deps);
      } catch (err) {
        // The keychain gave out meanwhile: the vault stays closed, says why, and opens again (the
        // clearance finished first) as soon as the keychain answers — never a desk half-open.
        suspended = false;
        closedBy = closedError(err);
        log.error('clearance.unfinished', { error: err instanceof Error ? err.name : 'unknown' });
        ctx.warnings.push({ code: 'clearance-unfinished', message: 'A clearance could not be finished; notes stay closed until the keychain answers again, then it is finished and they open.' });
        clearInterval(retryTimer);
        retryTimer = setInterval(() => void tryReopen(), REOPEN_RETRY_MS);
        retryTimer.unref();
        throw failure ?? closedBy;
      }
      suspended = false;
      if (failure !== null) throw failure;
      return result as Awaited<ReturnType<typeof fn>>;
    },
  };

  /** The client of a note, or undefined when it is not (or no longer, or not validly) in the directory. */
  function clientById(id: string): Client | undefined {
    try {
      return ctx.active().index.byId(id);
    } catch {
      // A client entry that fails validation when first parsed has no channels we may trust.
      return undefined;
    }
  }
  const clientOf = (clientId: string | null) => (clientId === null ? undefined : clientById(clientId));
  const clientName = (clientId: string | null) =>
    clientId === null ? '' : (ctx.active().index.summaries.find((c) => c.id === clientId)?.name ?? '');
  const retentionHours = (clientId: string | null) => clientOf(clientId)?.retention.maxHours ?? DEFAULT_RETENTION_HOURS;

  function summaryOf(m: NoteMeta, fields: Record<string, string> | null): NoteSummary {
    const expires = Date.parse(m.createdAt) + retentionHours(m.clientId) * 3_600_000;
    return {
      ...m,
      clientName: clientName(m.clientId),
      // A note that cannot be read is treated as holding content: it is never offered for discarding.
      hasContent: fields === null || fieldsHoldContent(fields),
      expiresAt: Number.isFinite(expires) ? new Date(expires).toISOString() : null,
    };
  }

  /** The note's fields, or null when it cannot be read (store-corrupt). */
  function fieldsOf(id: string): Record<string, string> | null {
    try {
      return vault.read(id).content.fields;
    } catch {
      return null;
    }
  }

  function formOf(clientId: string | null): NoteForm {
    const client = clientOf(clientId);
    return client ? { fields: client.messageForm.fields, generic: false } : { fields: [...GENERIC_MESSAGE_FIELDS], generic: true };
  }

  function viewOf(id: string): NoteView {
    const { meta, content } = vault.read(id);
    return { summary: summaryOf(meta, content.fields), fields: content.fields, call: content.call, form: formOf(meta.clientId) };
  }

  const jobView = (j: OutboxJob): OutboxJobView => outboxJobView(j, clientName(j.clientId));

  function meta(noteId: string): NoteMeta {
    const m = vault.list().find((n) => n.id === noteId);
    if (!m) throw new ApiError('not-found', 'There is no such note (it may have been delivered and wiped already).');
    return m;
  }

  /** Retention: notes past their client's limit are destroyed (audited as undelivered) and their jobs dropped. */
  function expireNow(): void {
    try {
      for (const m of vault.expire(ctx.now(), retentionHours)) service.forget(m.id);
    } catch (err) {
      log.error('notes.expiry-failed', { error: err instanceof Error ? err.name : 'unknown' });
    }
  }

  expireNow();
  service.outbox.start();
  let timer = setInterval(expireNow, EXPIRY_INTERVAL_MS);
  // Retention alone must not keep a process alive.
  timer.unref();
  ctx.onClose.push(async () => {
    clearInterval(timer);
    clearInterval(retryTimer);
    await reopening;
    await service.outbox.stop();
    await vault.whenFilesRemoved();
    vault.close();
    audit.close();
  });

  return {
    openNote({ callId }) {
      refuseWhileClosed();
      const existing = vault.list().find((m) => m.callId === callId);
      if (existing) return viewOf(existing.id);
      const pop = ctx.calls.get(callId);
      if (!pop) throw new ApiError('not-found', 'There is no such call on this desk, so there is no note to open for it.');
      const created = vault.create({
        callId,
        clientId: pop.client?.id ?? null,
        training: pop.training,
        call: { did: pop.did, callerName: pop.caller.name, callerNumber: pop.caller.number, receivedAt: pop.receivedAt },
      });
      return viewOf(created.id);
    },

    saveNote: ({ noteId, fields }) => {
      refuseWhileClosed();
      return summaryOf(vault.save(noteId, fields), fields);
    },

    handOffNote({ noteId }) {
      refuseWhileClosed();
      const m = meta(noteId);
      if (m.training) {
        // Training notes never leave the desk: "handing off" one ends it, audited as training.
        vault.wipe(noteId, 'training');
        return [];
      }
      if (m.state === 'draft') vault.setState(noteId, 'ready');
      try {
        return service.handOff(noteId).map(jobView);
      } catch (err) {
        // Nowhere to send it: the note stays editable rather than stuck as ready.
        if (m.state === 'draft' && err instanceof ApiError && err.code === 'not-allowed') vault.setState(noteId, 'draft');
        throw err;
      }
    },

    discardNote({ noteId }) {
      refuseWhileClosed();
      const m = vault.list().find((n) => n.id === noteId);
      if (!m) return { wiped: false };
      if (m.training) {
        vault.wipe(noteId, 'training');
        return { wiped: true };
      }
      if (m.state !== 'draft' && m.state !== 'ready') {
        throw new ApiError('not-allowed', `A message already on its way to the client cannot be discarded (it is ${m.state}); see the outbox.`);
      }
      // Only an empty draft goes: what a caller said is handed off to the client, never thrown away here.
      const fields = fieldsOf(noteId);
      if (fields === null || fieldsHoldContent(fields)) {
        throw new ApiError(
          'not-allowed',
          fields === null
            ? 'This note cannot be read, so the desk cannot tell that it is empty; it is not discarded.'
            : 'This note has content: a message a caller left is handed off to the client, never discarded on the desk. Only an empty draft can be discarded.',
          ['note-has-content'],
        );
      }
      vault.wipe(noteId, 'discarded');
      return { wiped: true };
    },

    listNotes: () => {
      refuseWhileClosed();
      return vault.list().map((m) => summaryOf(m, fieldsOf(m.id)));
    },

    listOutbox: () => {
      refuseWhileClosed();
      return service.outbox.list().map(jobView);
    },

    retryOutboxJob({ jobId }) {
      refuseWhileClosed();
      try {
        service.outbox.retry(jobId);
      } catch (err) {
        if (!(err instanceof OutboxError)) throw err;
        throw new ApiError(err.reason === 'not-found' ? 'not-found' : 'not-allowed', err.message);
      }
      return service.outbox.list().map(jobView);
    },

    getAudit({ limit }) {
      const verdict = verifyAuditChain(readBoundedTextSync(audit.path, { kind: 'audit' }));
      const events = audit.read().slice(-limit).reverse().map(eventView);
      const chain: AuditView['chain'] = verdict.ok ? { ok: true, events: verdict.events } : { ok: false, line: verdict.line, reason: verdict.reason };
      return { events, chain };
    },

    setHandOffSecret({ ref, value }) {
      store.set(secretKey(ref), value);
      log.info('handoff.secret-stored');
      return { stored: true };
    },
  };
}

const FAILURES: readonly string[] = ['no-secret-service', 'locked', 'timeout', 'failed'] satisfies KeychainFailure[];
/** The keychain's reason among an error's details, if it names one. */
function keychainFailureIn(details: readonly string[]): KeychainFailure | undefined {
  return details.find((d): d is KeychainFailure => FAILURES.includes(d));
}

/** The error every note method answers while the vault is closed: the keychain's reason in its details. */
function closedError(err: unknown): ApiError {
  if (err instanceof ApiError) return new ApiError(err.code, `Notes are closed until the keychain answers again. ${err.message}`, err.details);
  if (err instanceof KeychainError) return new ApiError('keychain-unavailable', `Notes are closed until the keychain answers again. ${err.message}`, [err.reason]);
  return new ApiError('internal', `Notes are closed: the vault could not be opened again (${err instanceof Error ? err.name : 'unknown error'}).`);
}

/** Whether any field holds something other than blanks (a note with content is never discarded). */
export function fieldsHoldContent(fields: Readonly<Record<string, string>>): boolean {
  return Object.values(fields).some((v) => typeof v === 'string' && v.trim() !== '');
}

/** An audit event as the viewer shows it: ids, codes and counts only (the event holds nothing else). */
function eventView(e: AuditEvent): AuditView['events'][number] {
  return {
    seq: e.seq,
    at: e.at,
    type: e.type,
    hash: e.hash,
    ...(e.noteId === undefined ? {} : { noteId: e.noteId }),
    ...(e.clientId === undefined ? {} : { clientId: e.clientId }),
    ...(e.channel === undefined ? {} : { channel: e.channel }),
    ...(e.count === undefined ? {} : { count: e.count }),
    ...(e.reason === undefined ? {} : { reason: e.reason }),
    ...(e.personRef === undefined ? {} : { personRef: e.personRef }),
  };
}

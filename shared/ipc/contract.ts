/**
 * The one contract for the process boundary. Every method the renderer may call is named here
 * with a runtime schema for its argument and its result. The preload, the main-side handlers and
 * the dev-web bridge are all typed from this object, so they cannot drift apart.
 */
import { z } from 'zod';
import { Caller, Pop } from '../directory/pop.js';
import { ClientId, Locale } from '../directory/schema.js';
import { ClientLabels, IncomingCallArgs, LineProbeResult, LineProfile, LineState } from './line-contract.js';
import { rosterContract } from './roster-contract.js';
import { logContract } from './log-contract.js';
import { floorContract } from './floor-contract.js';
import { monitorContract } from './monitor-contract.js';
import { clearanceContract } from './clearance-contract.js';
import { floorClearanceContract } from './floor-clearance-contract.js';
import { deskClearanceContract } from './desk-clearance-contract.js';
import { AuditView, CopyNoteTextArgs, CopyNoteTextResult, NoteSummary, NoteView, OpenNoteArgs, OutboxJobView, SaveNoteArgs } from './notes-contract.js';

const NoArgs = z.undefined();

/** Why the keychain could not do what was asked (electron/main/services/keychain.ts names each). */
export const KeychainReason = z.enum(['no-secret-service', 'locked', 'timeout', 'failed']);
export type KeychainReason = z.infer<typeof KeychainReason>;

export const KeychainState = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    reason: KeychainReason,
    message: z.string(),
  }),
]);
export type KeychainState = z.infer<typeof KeychainState>;

export const DirectoryStatus = z.object({
  source: z.enum(['training-sample', 'provisioned', 'none']),
  publisher: z.string(),
  publishedAt: z.string(),
  clients: z.number().int(),
  dids: z.number().int(),
  keyId: z.string(),
});
export type DirectoryStatus = z.infer<typeof DirectoryStatus>;

export const DeskState = z.object({
  mode: z.enum(['training', 'live']),
  keychain: KeychainState,
  directory: DirectoryStatus,
  /** Set when something needs the operator's attention at start-up (e.g. a quarantined store). */
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type DeskState = z.infer<typeof DeskState>;

export const ClientSummary = z.object({
  id: ClientId,
  name: z.string(),
  kana: z.string(),
  dids: z.array(z.string()),
});
export type ClientSummary = z.infer<typeof ClientSummary>;

export const Settings = z.object({
  locale: Locale,
});
export type Settings = z.infer<typeof Settings>;

export const SimulateCallArgs = z
  .object({
    clientId: ClientId.optional(),
    did: z.string().max(64).optional(),
    caller: Caller,
  })
  .refine((a) => a.clientId !== undefined || a.did !== undefined, {
    message: 'name a client or type a dialled number',
  });
export type SimulateCallArgs = z.infer<typeof SimulateCallArgs>;

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

export const contract = {
  /** Training or live, keychain health, which directory is loaded. */
  getDeskState: method(NoArgs, DeskState),
  /** Clients for the "simulate incoming call" picker. */
  listClients: method(NoArgs, z.array(ClientSummary)),
  /** Rings the desk with a made-up call (training mode) and returns the pop. */
  simulateCall: method(SimulateCallArgs, Pop),
  getSettings: method(NoArgs, Settings),
  updateSettings: method(Settings.partial(), Settings),
  /** Loads a signed directory bundle (its JSON text), checked against the pinned admin key. */
  importDirectory: method(z.object({ bundle: z.string().max(70 * 1024 * 1024) }), DirectoryStatus),

  // The line (issue 3).
  /** The paired line's settings (never the password) and whether a password is stored. */
  getLine: method(NoArgs, LineState),
  /** Saves the line settings; a password given goes to the OS keychain only. */
  pairLine: method(z.object({ profile: LineProfile, password: z.string().min(1).max(256).optional() }), LineState),
  unpairLine: method(NoArgs, LineState),
  /** The password for the renderer's user agent, read from the keychain when it registers. */
  getLinePassword: method(NoArgs, z.object({ password: z.string() })),
  /** Sets the desk up from a provisioning profile's JSON text: line settings and pinned admin key. */
  importProvisioning: method(z.object({ profile: z.string().max(70 * 1024 * 1024) }), LineState),
  /** Tries the paired line's server from the main process and says whether TLS is what failed. */
  probeLineServer: method(z.object({ server: z.string().min(1).max(512) }), LineProbeResult),
  /** A real call rang: find the client from the dialled number and build the pop. */
  popIncomingCall: method(IncomingCallArgs, Pop),
  /** Every client's name by dialled number, for the ringing strip's first frame (no scripts, no staff). */
  clientLabels: method(NoArgs, ClientLabels),
  /** Where a transfer to a staff member is dialled. Never displayed; used for the REFER only. */
  resolveTransferTarget: method(z.object({ clientId: ClientId, staffId: z.string().min(1).max(64) }), z.object({ target: z.string() })),

  // Notes, hand-off, outbox, audit (issue 4).
  /** Opens the note of an answered (or simulated) call, creating it on first call. */
  openNote: method(OpenNoteArgs, NoteView),
  /** Autosave: encrypts and writes the note's fields. */
  saveNote: method(SaveNoteArgs, NoteSummary),
  /** Marks the note ready and hands it off through the client's channels (training notes are wiped instead). */
  handOffNote: method(z.object({ noteId: z.string().min(1).max(64) }), z.array(OutboxJobView)),
  /** Ends a training call: its note is wiped. */
  discardNote: method(z.object({ noteId: z.string().min(1).max(64) }), z.object({ wiped: z.boolean() })),
  /** Unfinished notes (restart recovery) — content-free. */
  listNotes: method(NoArgs, z.array(NoteSummary)),
  listOutbox: method(NoArgs, z.array(OutboxJobView)),
  retryOutboxJob: method(z.object({ jobId: z.string().min(1).max(128) }), z.array(OutboxJobView)),
  /** The audit trail and whether its hash chain verifies (shift lead's viewer). */
  getAudit: method(z.object({ limit: z.number().int().min(1).max(10_000).default(500) }), AuditView),
  /**
   * A copy from a note field (desktop app only): the main process writes it to the system clipboard,
   * concealed from clipboard managers, and clears it 30 s later if the clipboard still holds it.
   * The dev-web harness has no system clipboard and refuses it (the page copies by itself there).
   */
  copyNoteText: method(CopyNoteTextArgs, CopyNoteTextResult),
  /** Stores a hand-off secret (SMTP URL, webhook URL, token, signing key) in the encrypted store. */
  setHandOffSecret: method(z.object({ ref: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/), value: z.string().min(1).max(4096) }), z.object({ stored: z.boolean() })),

  // The floor's roster and sign-in (issue 9): shared/ipc/roster-contract.ts.
  ...rosterContract,
  // The floor: desk states, watches, the supervisor's board (issue 9; shared/ipc/floor-contract.ts).
  ...floorContract,
  // Listen / whisper / barge (issue 9 §6).
  ...monitorContract,
  // End of day: the clearance engine and the deletion records (issue 10; shared/ipc/clearance-contract.ts).
  ...clearanceContract,
  // Clearing the floor: signed commands to every desk, their reports (issue 10 §4; shared/ipc/floor-clearance-contract.ts).
  ...floorClearanceContract,
  // Scheduled clearance and what the operator sees of clearance (issue 10 §5, §6).
  ...deskClearanceContract,
  // The page's SIP stack logging into the desk log, redacted twice (issue 11 §2).
  ...logContract,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export const methodNames = Object.keys(contract) as MethodName[];

export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = z.output<Contract[M]['result']>;

/** The API as the renderer sees it: one async function per method. */
export type KotozuteApi = {
  [M in MethodName]: ArgsOf<M> extends undefined
    ? () => Promise<ResultOf<M>>
    : (args: ArgsOf<M>) => Promise<ResultOf<M>>;
};

/** What a main-side implementation provides: validated arguments in, a result out. */
export type ApiHandlers = {
  [M in MethodName]: (args: z.output<Contract[M]['args']>) => Promise<ResultOf<M>> | ResultOf<M>;
};

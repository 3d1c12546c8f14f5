/**
 * The one contract for the process boundary. Every method the renderer may call is named here
 * with a runtime schema for its argument and its result. The preload, the main-side handlers and
 * the dev-web bridge are all typed from this object, so they cannot drift apart.
 */
import { z } from 'zod';
import { Caller, Pop } from '../directory/pop.js';
import { ClientId, Locale } from '../directory/schema.js';

const NoArgs = z.undefined();

export const KeychainState = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['no-secret-service', 'locked', 'timeout', 'failed']),
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

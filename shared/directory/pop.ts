/**
 * What the operator's screen receives when a call rings: the client's public face only.
 * Hidden fields (staff transfer targets, hand-off secrets) never leave the main process.
 */
import { z } from 'zod';
import {
  AllowedAnswer,
  ClientId,
  Locale,
  MessageField,
  NeverDisclose,
  ScriptSection,
  StaffStatus,
} from './schema.js';

export const PublicStaff = z.object({
  id: z.string(),
  name: z.string(),
  kana: z.string(),
  department: z.string(),
  status: StaffStatus,
  /** What the operator may tell the caller about this person right now. */
  publicPhrase: z.string(),
  /** Whether a transfer can be offered (the target itself stays hidden). */
  transferable: z.boolean(),
});
export type PublicStaff = z.infer<typeof PublicStaff>;

export const PopClient = z.object({
  id: ClientId,
  name: z.string(),
  kana: z.string(),
  language: Locale,
  sensitive: z.boolean(),
  script: z.array(ScriptSection),
  answers: z.array(AllowedAnswer),
  neverDisclose: z.array(NeverDisclose),
  staff: z.array(PublicStaff),
  messageForm: z.object({ fields: z.array(MessageField) }),
});
export type PopClient = z.infer<typeof PopClient>;

export const Caller = z.object({
  /** Display name as sent by the network: hostile text, shown as text only. */
  name: z.string().max(256),
  number: z.string().max(64),
});
export type Caller = z.infer<typeof Caller>;

export const Pop = z.object({
  callId: z.string(),
  training: z.boolean(),
  /** The dialled number, normalised to E.164 when it could be. */
  did: z.string(),
  caller: Caller,
  receivedAt: z.string(),
  /** null when the DID is not in the directory: the generic script applies. */
  client: PopClient.nullable(),
  greeting: z.string(),
  /** Whether the client is open now (per its business hours) — shapes what the operator offers. */
  open: z.boolean(),
});
export type Pop = z.infer<typeof Pop>;

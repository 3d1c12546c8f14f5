/**
 * Builds what the operator's screen receives when a call rings. Every field is copied by name,
 * never spread, so a field added to the directory later (or a hidden one such as a staff member's
 * transferTarget, or hand-off configuration) cannot reach the renderer by accident.
 */
import type { AllowedAnswer, Client, MessageField, Staff } from '../../../../shared/directory/schema.js';
import { normaliseDid } from '../../../../shared/directory/did.js';
import type { Caller, Pop, PublicStaff } from '../../../../shared/directory/pop.js';
import { chooseGreeting, isOpen } from './greeting.js';

export interface BuildPopOptions {
  /** The client found for the DID, or undefined for an unknown number. */
  client: Client | undefined;
  /** The dialled number as it arrived. */
  did: string;
  caller: Caller;
  callId: string;
  training: boolean;
  /** The moment the call rang: chooses the greeting variant and the open/closed state. */
  at: Date;
}

function publicStaff(s: Staff, client: Client): PublicStaff {
  return {
    id: s.id,
    name: s.name,
    kana: s.kana,
    department: s.department,
    status: s.status,
    publicPhrase: s.publicPhrase ?? client.statusPhrases[s.status],
    transferable: Boolean(s.transferTarget),
  };
}

const answer = (a: AllowedAnswer): AllowedAnswer => ({
  id: a.id,
  topic: a.topic,
  keywords: { ja: [...a.keywords.ja], en: [...a.keywords.en] },
  wording: a.wording,
});

function field(f: MessageField): MessageField {
  const out: MessageField = { id: f.id, kind: f.kind, label: f.label, required: f.required };
  if (f.options !== undefined) out.options = [...f.options];
  if (f.maxLength !== undefined) out.maxLength = f.maxLength;
  return out;
}

/**
 * The pop for one call. An unknown client gives `client: null`, an empty greeting (the renderer
 * shows its own generic script and a warning) and `open: false`.
 */
export function buildPop(o: BuildPopOptions): Pop {
  const { client, at } = o;
  const base = {
    callId: o.callId,
    training: o.training,
    did: normaliseDid(o.did) ?? o.did.slice(0, 64),
    caller: { name: o.caller.name, number: o.caller.number },
    receivedAt: at.toISOString(),
  };
  if (!client) return { ...base, client: null, greeting: '', open: false };
  return {
    ...base,
    client: {
      id: client.id,
      name: client.name,
      kana: client.kana,
      language: client.language,
      sensitive: client.sensitive,
      script: client.script.map((s) => ({ title: s.title, body: s.body })),
      answers: client.answers.map(answer),
      neverDisclose: client.neverDisclose.map((n) => (n.instead === undefined ? { item: n.item } : { item: n.item, instead: n.instead })),
      staff: client.staff.map((s) => publicStaff(s, client)),
      messageForm: { fields: client.messageForm.fields.map(field) },
    },
    greeting: chooseGreeting(client, at),
    open: isOpen(client.businessHours, at),
  };
}

/**
 * Which of a client's channels a message goes to. The one place that reads the directory's
 * escalation rule, so a change of its shape (e.g. a per-channel `when: 'always' | 'urgent'`)
 * is a change here only.
 */
import type { HandOff, HandOffChannel } from '../../../../shared/directory/schema.js';

/**
 * The channels for a message: every channel, except those listed in `urgentAlso`, which are added
 * only when the message is urgent. A call transfer is an action during the call, not a place a
 * message can be delivered to later, so it never becomes an outbox job.
 */
export function channelsFor(handOff: HandOff, urgent: boolean): HandOffChannel[] {
  const urgentOnly = new Set(handOff.urgentAlso);
  return handOff.channels.filter((c) => c.kind !== 'transfer' && (urgent || !urgentOnly.has(c.id)));
}

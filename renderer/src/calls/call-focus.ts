/**
 * Which real call the operator is looking at. Kept free of React and sip.js so the rules are plain
 * functions: the call being talked on (or the held one waiting for it) keeps the screen; a call that
 * rings meanwhile waits in its own strip until the operator takes it (which holds the first).
 */
import type { CallInfo } from '../line/types.js';

export interface CallLayout {
  /** The call whose pop fills the screen, or null when no real call is up. */
  focused: CallInfo | null;
  /** Every other live call the operator can act on (ringing or held), oldest first. */
  others: CallInfo[];
  /** For each call being transferred attended: its consultation call. */
  consultations: Map<string, CallInfo>;
}

/** Lays out the line's live calls; ended calls and consultation calls have no strip of their own. */
export function layoutCalls(calls: readonly CallInfo[]): CallLayout {
  const live = calls.filter((c) => c.state !== 'ended');
  const consultations = new Map<string, CallInfo>();
  for (const c of live) if (c.consultFor !== null) consultations.set(c.consultFor, c);
  const main = live.filter((c) => c.consultFor === null);
  const answered = main.filter((c) => c.state === 'active' || c.state === 'held');
  // The call being talked on wins; else the held call answered last (the operator's last context);
  // with nothing answered, the oldest ringing call.
  const focused =
    answered.find((c) => c.state === 'active') ??
    [...answered].sort((a, b) => (b.answeredAt ?? 0) - (a.answeredAt ?? 0))[0] ??
    main.find((c) => c.state === 'ringing') ??
    null;
  const others = main.filter((c) => c !== focused).sort((a, b) => a.startedAt - b.startedAt);
  return { focused, others, consultations };
}

/** Calls that just ended (not there before as ended), so the UI can say why and let them go. */
export function newlyEnded(previous: readonly CallInfo[], next: readonly CallInfo[]): CallInfo[] {
  const before = new Map(previous.map((c) => [c.id, c.state]));
  return next.filter((c) => c.state === 'ended' && before.get(c.id) !== 'ended');
}

/** Incoming calls that are ringing and were not known before: each needs a pop. */
export function newlyRinging(known: ReadonlySet<string>, next: readonly CallInfo[]): CallInfo[] {
  return next.filter((c) => c.direction === 'incoming' && c.state === 'ringing' && !known.has(c.id));
}

/**
 * The End of day screen's rules (issue 10 §2), apart from React so they are tested on their own:
 * every undelivered message needs a settle choice (carry over, or discard with a reason code) and
 * the desk's roster id typed as confirmation before Clear is offered. The engine checks both again.
 */
import type { ClearancePlan, DiscardReason, Settlement } from '../../../shared/clearance/schema.js';

/** What the shift lead chose for one row so far; a discard without a reason is not settled yet. */
export type SettleChoice = { action: 'carry-over' } | { action: 'discard'; reason: DiscardReason | null };
export type SettleChoices = Readonly<Record<string, SettleChoice | undefined>>;

/** The settlements for clearDesk, or null while any undelivered message is unsettled. */
export function settlementsFor(plan: Pick<ClearancePlan, 'undelivered'>, choices: SettleChoices): Settlement[] | null {
  const out: Settlement[] = [];
  for (const item of plan.undelivered) {
    const choice = choices[item.noteId];
    if (!choice) return null;
    if (choice.action === 'carry-over') out.push({ noteId: item.noteId, action: 'carry-over' });
    else if (choice.reason) out.push({ noteId: item.noteId, action: 'discard', reason: choice.reason });
    else return null;
  }
  return out;
}

/** How many rows still need a choice (a discard without its reason counts as unsettled). */
export function unsettledCount(plan: Pick<ClearancePlan, 'undelivered'>, choices: SettleChoices): number {
  return plan.undelivered.filter((item) => {
    const c = choices[item.noteId];
    return !c || (c.action === 'discard' && !c.reason);
  }).length;
}

/** The typed confirmation matches the desk's roster id (surrounding spaces forgiven, nothing else). */
export function confirmationMatches(typed: string, deskId: string | null): boolean {
  return deskId !== null && deskId.length > 0 && typed.trim() === deskId;
}

/** Clear is offered only when every row is settled and the desk id is typed. */
export function canClear(plan: Pick<ClearancePlan, 'undelivered'>, choices: SettleChoices, typed: string, deskId: string | null): boolean {
  return settlementsFor(plan, choices) !== null && confirmationMatches(typed, deskId);
}

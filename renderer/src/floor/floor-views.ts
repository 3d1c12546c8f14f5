/**
 * Which screens a signed-in person may switch between (issue 9, issue 10 §2): each roster role
 * brings one — supervisor the floor board, operator the operator desk, shift lead End of day. A
 * person holding several roles switches between them; one role means one screen and no switch.
 */
import type { Role } from '../../../shared/roster/schema.js';

export type FloorView = 'board' | 'desk' | 'clearance';

/** The screen each role brings, in the order the switch shows them. */
const VIEW_OF: readonly (readonly [Role, FloorView])[] = [
  ['supervisor', 'board'],
  ['operator', 'desk'],
  ['shift-lead', 'clearance'],
];

/** The views a person with `roles` may see, in switch order; the first is shown after sign-in. */
export function viewsFor(roles: readonly Role[]): FloorView[] {
  return VIEW_OF.filter(([role]) => roles.includes(role)).map(([, view]) => view);
}

/** `wanted` when the person may see it, else their first view (a stale choice after a change of person). */
export function viewShown(roles: readonly Role[], wanted: FloorView): FloorView | null {
  const views = viewsFor(roles);
  return views.includes(wanted) ? wanted : (views[0] ?? null);
}

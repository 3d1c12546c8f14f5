/**
 * Who a ringing call is for, known in the renderer the moment the INVITE is parsed: the main
 * process hands over every client's name by dialled number once (labels only — no script, staff or
 * transfer target), so the ringing strip's first frame shows the client without a round trip. The
 * pop itself still comes from the main process and is the authority: when it names another client
 * than the book did (the directory changed meanwhile), the book is loaded again.
 */
import { normaliseDid } from '../../../shared/directory/did.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import { isDeskLocked, onDeskUnlocked } from '../floor/desk-unlocks.js';

export interface ClientLabelView {
  readonly id: string;
  readonly name: string;
}

export interface LabelBook {
  /**
   * The client a dialled number belongs to; null when the directory has no such number; undefined
   * while the book is not loaded (the caller then waits for the pop, as before).
   */
  lookup(did: string | null): ClientLabelView | null | undefined;
  /** Loads the book again (the pop named another client than the book, or the directory changed). */
  reload(): void;
}

/**
 * Starts loading at once; a failed load leaves the book empty (calls wait for their pops). A load the
 * main process refused because the desk is locked is tried again when it is unlocked.
 */
export function createLabelBook(api: Pick<KotozuteApi, 'clientLabels'>, onError: (err: unknown) => void): LabelBook {
  let byDid: ReadonlyMap<string, ClientLabelView> | null = null;
  let loading = false;
  let again = false;

  const load = () => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    api
      .clientLabels()
      .then(({ clients }) => {
        const map = new Map<string, ClientLabelView>();
        for (const c of clients) {
          const label = Object.freeze({ id: c.id, name: c.name });
          for (const did of c.dids) map.set(did, label);
        }
        byDid = map;
      })
      .catch((err: unknown) => {
        if (isDeskLocked(err)) {
          // Refused while the desk is locked: the book it has stays, and loads again once unlocked.
          const off = onDeskUnlocked(() => {
            off();
            load();
          });
          return;
        }
        byDid = null;
        onError(err);
      })
      .finally(() => {
        loading = false;
        if (again) {
          again = false;
          load();
        }
      });
  };
  load();

  return {
    lookup(did) {
      if (!byDid) return undefined;
      const key = did === null ? null : normaliseDid(did);
      return (key !== null && byDid.get(key)) || null;
    },
    reload: load,
  };
}

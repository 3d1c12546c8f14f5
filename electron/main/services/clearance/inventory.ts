/**
 * What a desk keeps under its data directory, every kind named once, with its fate at the end of
 * the day: cleared (destroyed by a clearance), kept (stays: no personal data, or needed tomorrow),
 * or transient (exists only while a clearance runs). docs/clearance.md is this list in prose; a
 * test fails when a realistic session leaves a file the list does not name (unlistedPaths).
 *
 * Keychain entries are listed too (KEYCHAIN_KINDS): they live outside the folder.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Fate = 'cleared' | 'kept' | 'transient';

export interface DataKind {
  id: string;
  /** Matches the path relative to the data directory, with '/' separators. */
  pattern: RegExp;
  fate: Fate;
  what: string;
}

/** Every kind of file the desk (and Electron under the same folder) keeps, by path. */
export const DATA_KINDS: readonly DataKind[] = [
  { id: 'note', pattern: /^vault\/notes\/[0-9a-f-]{36}\.note$/, fate: 'cleared', what: 'a note (sealed under its own key): open, ready, handing off, failed, training' },
  { id: 'note-temp', pattern: /^vault\/notes\/\..+\.tmp$/, fate: 'cleared', what: 'a note write cut short by a crash' },
  { id: 'key-table', pattern: /^vault\/keys\.jsonl$/, fate: 'cleared', what: "the notes' data keys, wrapped by the shift key (rewritten with the carried-over notes only)" },
  { id: 'quarantine', pattern: /^vault\/quarantine\/.+$/, fate: 'cleared', what: 'note files that could not be opened at start' },
  { id: 'outbox', pattern: /^outbox\.json$/, fate: 'cleared', what: "the outbox's jobs (sealed store): finished jobs go, the carried-over notes' jobs stay" },
  { id: 'crash-dumps', pattern: /^crash-dumps\/.+$/, fate: 'cleared', what: "Electron's crash dumps (may hold memory, hence note text)" },
  { id: 'temp', pattern: /^tmp\/.+$/, fate: 'cleared', what: 'temporary files of the desk' },
  { id: 'store-temp', pattern: /^\..+\.tmp$/, fate: 'cleared', what: 'an atomic write cut short by a crash (any store)' },
  { id: 'renderer-storage', pattern: /^(Local Storage|Session Storage|IndexedDB|Cache|Code Cache|GPUCache|Service Worker|blob_storage|WebStorage|Shared Dictionary|DawnGraphiteCache|DawnWebGPUCache)(\/.*)?$/, fate: 'cleared', what: "the page's storage in Electron (cleared through the session API: not yet built)" },
  { id: 'settings', pattern: /^settings\.json$/, fate: 'kept', what: 'plain settings (language, devices): no personal data' },
  { id: 'window-state', pattern: /^window-state\.json$/, fate: 'kept', what: "the window's size and place" },
  { id: 'log', pattern: /^logs\/kotozute\.log(\.\d{1,2})?$/, fate: 'kept', what: 'the desk log, redacted (events, counts, codes), size-capped and rotated (services/log-file.ts)' },
  { id: 'desk-store', pattern: /^desk\.json$/, fate: 'kept', what: 'sealed store: line profile and its password, hand-off secrets, the audit head, sign-in lockouts' },
  { id: 'directory-store', pattern: /^directory\.json$/, fate: 'kept', what: 'sealed store: the signed client directory' },
  { id: 'roster-store', pattern: /^roster\.json$/, fate: 'kept', what: 'sealed store: the signed roster' },
  { id: 'moved-aside-store', pattern: /^[a-z]+\.corrupt-.+\.json$/, fate: 'kept', what: 'a sealed store that could not be read, kept for inspection (sealed, no plaintext)' },
  { id: 'audit', pattern: /^audit\/audit\.jsonl$/, fate: 'kept', what: 'the audit trail: ids, counts and codes only' },
  { id: 'audit-moved-aside', pattern: /^audit\/audit\.jsonl\..+$/, fate: 'kept', what: 'an audit file moved aside (broken or rolled back), kept for an investigation' },
  { id: 'deletion-record', pattern: /^records\/record-\d{6,}\.json$/, fate: 'kept', what: 'a signed deletion record' },
  { id: 'clearance-journal', pattern: /^clearance\/journal\.json$/, fate: 'transient', what: 'the journal of a clearance under way' },
  { id: 'next-key-table', pattern: /^vault\/keys\.next\.jsonl$/, fate: 'transient', what: "the carried-over notes' keys under the next shift key, before the commit" },
];

/** Keychain accounts (namespaced per data directory) and their fate. */
export const KEYCHAIN_KINDS: readonly { account: string; fate: Fate; what: string }[] = [
  { account: 'shift-kek', fate: 'cleared', what: "the day's shift key (KEK): destroyed, a new one made" },
  { account: 'shift-kek-next', fate: 'transient', what: 'the next shift key while a clearance runs' },
  { account: 'desk-store-key', fate: 'kept', what: "the key of the desk's sealed stores" },
  { account: 'outbox-store-key', fate: 'kept', what: "the key of the outbox's sealed store" },
  { account: 'desk-identity-key', fate: 'kept', what: 'the desk key (Ed25519) that signs deletion records' },
];

/** The kind a relative path (posix separators) belongs to, or null. */
export function kindOf(relative: string): DataKind | null {
  return DATA_KINDS.find((k) => k.pattern.test(relative)) ?? null;
}

/** Folders the walk does not descend into past this many entries (a bound, not a limit on the desk). */
const MAX_ENTRIES = 200_000;

/** Every file under the data directory that no kind names (relative paths), at most MAX_ENTRIES looked at. */
export function unlistedPaths(dataDir: string): string[] {
  const unlisted: string[] = [];
  let seen = 0;
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} entries under ${dataDir}`);
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        // A whole folder a kind names (renderer storage) is not looked into.
        if (kindOf(r) === null) walk(path.join(dir, e.name), r);
      } else if (kindOf(r) === null) {
        unlisted.push(r);
      }
    }
  };
  walk(dataDir, '');
  return unlisted.sort();
}

/** Files under the data directory by kind id (unlisted ones under 'unlisted'). */
export function countFiles(dataDir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else {
        const id = kindOf(r)?.id ?? 'unlisted';
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
  };
  walk(dataDir, '');
  return counts;
}

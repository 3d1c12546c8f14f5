// Types for scripts/check-electron.mjs (a plain script npm runs before any build), for its unit test.
export interface ElectronLookup {
  electronDir: string;
  env: Record<string, string | undefined>;
  exists: (p: string) => boolean;
  read: (p: string) => string | null;
}
export function locateElectron(o: ElectronLookup): { state: 'found' | 'override-missing' | 'not-fetched'; binary: string | null };
export function fetchFailureReason(output: unknown): string;
export function checkElectron(
  o: Omit<ElectronLookup, 'electronDir'> & {
    electronDir: string | null;
    version: string | null;
    fetch: () => { ok: boolean; output: string };
  },
): string | null;

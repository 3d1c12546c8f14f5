/**
 * The dev-web harness is a development and test tool: it serves the desk to a browser over a
 * loopback WebSocket. It must never run as part of a shipped desk, so it refuses to start in a
 * production environment or inside a packaged (Electron / asar) app. The Electron build never
 * bundles electron/dev-web/ at all (scripts/build-electron.mjs only bundles the main and preload
 * entry points); this guard is the second lock on the same door.
 */

export interface RuntimeFacts {
  env: NodeJS.ProcessEnv;
  /** process.versions: `electron` is present when running inside Electron. */
  versions: Record<string, string | undefined>;
  /** The URL or path of the module that started the harness. */
  moduleUrl: string;
}

/** Why the harness must not run here, or null when it may. */
export function refusalReason(facts: RuntimeFacts): string | null {
  if (facts.env.NODE_ENV === 'production') {
    return 'NODE_ENV is "production"; the dev-web harness is for development and tests only.';
  }
  if (facts.versions.electron !== undefined) {
    return 'it is running inside Electron; the desk app uses IPC, never the dev-web bridge.';
  }
  if (/\.asar([\\/]|$)/i.test(facts.moduleUrl) || /[\\/]resources[\\/]app([\\/]|$)/i.test(facts.moduleUrl)) {
    return 'it was loaded from a packaged app; the dev-web harness is never shipped.';
  }
  return null;
}

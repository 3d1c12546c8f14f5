/**
 * Command-line switches a packaged desk refuses to start with. The fuses close `--inspect` for the
 * main process's Node and NODE_OPTIONS, but no fuse covers Chromium's remote debugging: started with
 * `--remote-debugging-port` (or `-pipe`), any local process could drive the desk page — read notes,
 * place calls — over the DevTools protocol. (No 'electron' import: a pure check over argv.)
 */

/** Switch names refused, without their leading dashes; `inspect` covers --inspect-brk, --inspect-port, … */
const REFUSED = ['remote-debugging-port', 'remote-debugging-pipe', 'remote-debugging-address', 'inspect'];

/** The switch an argument names (lower case, no dashes, no `=value`), or null for a plain argument. */
function switchName(arg: string, windows: boolean): string | null {
  // Chromium reads `--x` and `-x` as switches everywhere, and `/x` too on Windows.
  const m = (windows ? /^(?:--?|\/)([^=]+)/ : /^--?([^=]+)/).exec(arg);
  return m?.[1] ? m[1].toLowerCase() : null;
}

/**
 * The arguments in `argv` (process.argv of the packaged app) that the desk refuses, in order;
 * empty when it may start. Chromium matches switch names case-insensitively on Windows, so this
 * does everywhere.
 */
export function refusedSwitches(argv: readonly string[], platform: NodeJS.Platform = process.platform): string[] {
  const windows = platform === 'win32';
  return argv.slice(1).filter((arg) => {
    const name = switchName(arg, windows);
    return name !== null && REFUSED.some((r) => name === r || (r === 'inspect' && name.startsWith('inspect-')));
  });
}

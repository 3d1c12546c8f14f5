/**
 * Runs a short script in a child Node process inside a D-Bus situation of its own: a private
 * keyring (which the script may lock or freeze first), a bus with no keyring on it, or no bus at
 * all. A child is needed because libsecret keeps one bus connection per process, and because a
 * keyring these tests lock or freeze must not be the one other test files are using.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const withKeyring = path.join(repoRoot, 'test/support/with-keyring.sh');

export const keyringReady = process.env.KOTOZUTE_KEYRING_READY === '1';
export const notReadyMessage =
  'skipped: needs a real Secret Service — run under `bash test/support/with-keyring.sh npx vitest run test/integration/services`';

export type Session =
  /** A fresh, unlocked gnome-keyring of its own; `before` (shell) runs first, `after` once Node exits. */
  | { kind: 'private-keyring'; before?: string; after?: string }
  /** A D-Bus session bus on which nothing provides org.freedesktop.secrets. */
  | { kind: 'bus-without-keyring' }
  /** No session bus at all, and no display to start one from. */
  | { kind: 'no-bus' };

/** Shell that locks the private keyring's default collection over D-Bus, and checks it worked. */
export const LOCK_DEFAULT_COLLECTION = `
collection=$(gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \\
  --method org.freedesktop.Secret.Service.ReadAlias default | sed -E "s/.*'(.*)'.*/\\1/")
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \\
  --method org.freedesktop.Secret.Service.Lock "['$collection']" >/dev/null
gdbus call --session --dest org.freedesktop.secrets --object-path "$collection" \\
  --method org.freedesktop.DBus.Properties.Get org.freedesktop.Secret.Collection Locked | grep -q true
`;

/** Shell that freezes the keyring daemon (SIGSTOP), so calls to it hang; `after` thaws it. */
export const FREEZE_KEYRING = `
daemon=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \\
  --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets | sed -E 's/.*uint32 ([0-9]+).*/\\1/')
kill -STOP "$daemon"
export KOTOZUTE_FROZEN_DAEMON="$daemon"
`;
/**
 * Thaws the frozen daemon from inside the child. Node cannot exit while a keytar call is stuck on
 * a worker thread (it waits out D-Bus's own 25 s timeout), so the child thaws it once it has seen
 * its own timeout fire, and the stuck call then finishes.
 */
export const THAW_KEYRING_FROM_CHILD = "process.kill(Number(process.env.KOTOZUTE_FROZEN_DAEMON), 'SIGCONT');";
export const THAW_KEYRING = 'kill -CONT "$daemon" 2>/dev/null || true';

const BARE_BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

export interface ChildResult {
  /** What the script passed to `print(...)`. */
  value: unknown;
  stderr: string;
  elapsedMs: number;
}

/**
 * Runs `body` (TypeScript, top-level await allowed) with `keychain` and `secureStore` (the real
 * modules) and `print(value)` in scope, inside `session`. Returns what it printed.
 */
export function runInSession(session: Session, body: string, timeoutMs = 20_000): ChildResult {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-keychain-child-'));
  try {
    const script = path.join(scratch, 'child.mts');
    const services = path.join(repoRoot, 'electron/main/services');
    fs.writeFileSync(
      script,
      [
        `import * as keychain from ${JSON.stringify(pathToFileURL(path.join(services, 'keychain.ts')).href)};`,
        `import * as secureStore from ${JSON.stringify(pathToFileURL(path.join(services, 'secure-store.ts')).href)};`,
        `const print = (v: unknown) => process.stdout.write('\\nRESULT ' + JSON.stringify(v) + '\\n');`,
        `const scratch = ${JSON.stringify(scratch)};`,
        `void keychain; void secureStore; void scratch;`,
        body,
        'process.exit(0);',
      ].join('\n'),
    );
    const node = [process.execPath, '--import', 'tsx', script];
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.KOTOZUTE_KEYRING_READY;
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    delete env.GNOME_KEYRING_CONTROL;
    let command: string[];
    if (session.kind === 'private-keyring') {
      delete env.DBUS_SESSION_BUS_ADDRESS;
      const quoted = node.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
      const shell = `set -e\n${session.before ?? ''}\nset +e\n${quoted}\nstatus=$?\n${session.after ?? ''}\nexit $status\n`;
      command = ['bash', withKeyring, 'bash', '-c', shell];
    } else {
      const runtime = path.join(scratch, 'runtime');
      fs.mkdirSync(runtime, { mode: 0o700 });
      // An empty runtime folder: GLib would otherwise find a bus at $XDG_RUNTIME_DIR/bus.
      env.XDG_RUNTIME_DIR = runtime;
      if (session.kind === 'bus-without-keyring') {
        const config = path.join(scratch, 'bus.conf');
        fs.writeFileSync(config, BARE_BUS_CONFIG);
        command = ['dbus-run-session', `--config-file=${config}`, '--', ...node];
      } else {
        delete env.DBUS_SESSION_BUS_ADDRESS;
        command = node;
      }
    }

    const started = Date.now();
    const [file, ...args] = command as [string, ...string[]];
    const run = spawnSync(file, args, { cwd: repoRoot, env, encoding: 'utf8', timeout: timeoutMs });
    const elapsedMs = Date.now() - started;
    const line = run.stdout
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('RESULT '));
    if (run.status !== 0 || line === undefined) {
      throw new Error(
        `child failed (status ${run.status}, signal ${run.signal}, ${elapsedMs} ms)\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
      );
    }
    return { value: JSON.parse(line.slice('RESULT '.length)) as unknown, stderr: run.stderr, elapsedMs };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Locks and unlocks the test keyring (test/support/with-keyring.sh) the way a Linux desktop does
 * when the user's session locks and is unlocked again. Tried here (gnome-keyring 42, no DISPLAY):
 *
 * - Lock: the Secret Service's own `Lock` method on the default collection (what a screen locker or
 *   `seahorse` calls). Nothing asks for confirmation.
 * - Unlock: NOT the Secret Service's `Unlock` (it answers with a prompt object; with no display the
 *   prompter, gcr-prompter, cannot start and the collection stays locked), and NOT
 *   `gnome-keyring-daemon --unlock` a second time (it starts another daemon that cannot own the bus
 *   name, and the first stays locked; `--login` and `--start --unlock` do not unlock either). What
 *   works is what pam_gnome_keyring does when a session is unlocked: the UNLOCK operation, with the
 *   login password, on the daemon's control socket ($XDG_RUNTIME_DIR/keyring/control): one NUL
 *   byte (the daemon reads the peer's credentials), then a packet [u32 length][u32 op = 1]
 *   [u32 password length][password], all big-endian; the reply is [u32 8][u32 result], 0 = OK,
 *   1 = denied (wrong password), 2 = failed.
 *
 * The password is the one with-keyring.sh made (KOTOZUTE_KEYRING_PASSWORD_FILE). Every call has a
 * timeout.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const TIMEOUT_MS = 5_000;
const OP_UNLOCK = 1;
const RESULTS = ['ok', 'denied', 'failed', 'no-daemon'] as const;

function gdbus(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('gdbus', ['call', '--session', '--timeout', String(TIMEOUT_MS / 1000), ...args], { timeout: TIMEOUT_MS + 1_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`gdbus ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

const SERVICE = ['--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets'];

/** The object path of the keyring's default collection (the one keytar uses: "login" here). */
export async function defaultCollection(): Promise<string> {
  const out = await gdbus([...SERVICE, '--method', 'org.freedesktop.Secret.Service.ReadAlias', 'default']);
  const found = /'(\/org\/freedesktop\/secrets\/collection\/[^']+)'/.exec(out)?.[1];
  if (!found) throw new Error(`the keyring has no default collection: ${out.trim()}`);
  return found;
}

/** Whether the default collection is locked now. */
export async function keyringLocked(): Promise<boolean> {
  const collection = await defaultCollection();
  const out = await gdbus(['--dest', 'org.freedesktop.secrets', '--object-path', collection, '--method', 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Collection', 'Locked']);
  return /true/.test(out);
}

/** Locks the default collection, as the desktop does when the session locks; checks it took. */
export async function lockKeyring(): Promise<void> {
  await gdbus([...SERVICE, '--method', 'org.freedesktop.Secret.Service.Lock', `['${await defaultCollection()}']`]);
  if (!(await keyringLocked())) throw new Error('the keyring did not lock');
}

/** Whether this session can unlock the keyring again (run under with-keyring.sh). */
export function canUnlockKeyring(): boolean {
  const file = process.env.KOTOZUTE_KEYRING_PASSWORD_FILE;
  return Boolean(file && process.env.XDG_RUNTIME_DIR && fs.existsSync(file));
}

/** Unlocks the login keyring with its password over the daemon's control socket (as PAM does); checks it took. */
export async function unlockKeyring(): Promise<void> {
  const file = process.env.KOTOZUTE_KEYRING_PASSWORD_FILE;
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (!file || !runtime) throw new Error('the keyring cannot be unlocked: run under test/support/with-keyring.sh (KOTOZUTE_KEYRING_PASSWORD_FILE, XDG_RUNTIME_DIR)');
  const password = Buffer.from(fs.readFileSync(file, 'utf8'), 'utf8');
  const control = process.env.GNOME_KEYRING_CONTROL ? path.join(process.env.GNOME_KEYRING_CONTROL, 'control') : path.join(runtime, 'keyring', 'control');
  const packet = Buffer.alloc(12 + password.length);
  packet.writeUInt32BE(packet.length, 0);
  packet.writeUInt32BE(OP_UNLOCK, 4);
  packet.writeUInt32BE(password.length, 8);
  password.copy(packet, 12);
  const result = await new Promise<number>((resolve, reject) => {
    const socket = net.connect(control);
    let reply = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the keyring daemon did not answer the unlock in ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    socket.once('connect', () => {
      socket.write(Buffer.from([0]));
      socket.write(packet);
    });
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.length < 8) return;
      clearTimeout(timer);
      socket.end();
      resolve(reply.readUInt32BE(4));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (reply.length < 8) reject(new Error('the keyring daemon closed the control socket without an answer'));
    });
  });
  if (result !== 0) throw new Error(`the keyring daemon refused the unlock: ${RESULTS[result] ?? result}`);
  if (await keyringLocked()) throw new Error('the keyring is still locked after the unlock');
}

// A real Kamailio (registrar + proxy, SIP over WebSocket and UDP on loopback) that a test starts
// and stops itself. See shared/design/ENVIRONMENT.md, "SIP server for tests: Kamailio".
//
//   const kam = await startKamailio();
//   const alice = await kam.newUser('alice');   // unique per test: Kamailio forks to every contact
//   … createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...alice }) …
//   await kam.stop();
//
// The config is rendered from test/support/kamailio/kamailio.cfg.tmpl into a temp run dir, which
// also holds the log (Kamailio's stdout and stderr). The run dir is removed on stop() unless
// keepLogs() was called (e.g. from onTestFailed) or KOTOZUTE_KEEP_SIP_LOGS=1.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A SIP account in the test server's static user table. */
export interface SipUser {
  user: string;
  password: string;
}

/** Options for {@link startKamailio}. */
export interface StartKamailioOptions {
  /** Accounts present from the start (more can be added at runtime with addUser/newUser). */
  users?: SipUser[];
  /** Kamailio `debug` level: 1 notice (default), 2 info, 3 debug. */
  logLevel?: number;
  /**
   * The accounts' SIP domain (default `127.0.0.1`). `kotozute.test` makes the domain differ from the
   * server's host, as in production; Kamailio never resolves it.
   */
  domain?: '127.0.0.1' | 'kotozute.test';
  /** How long to wait for readiness before failing, in ms (default 8000). */
  readyTimeoutMs?: number;
  /**
   * The longest registration the registrar grants, in seconds (default 3600). A short one makes a
   * client refresh within a test: sip.js refreshes on the expiry the server grants, not the one asked.
   */
  maxExpiresSec?: number;
  /**
   * Seconds after which the server closes a connection that carried nothing (Kamailio's
   * tcp_connection_lifetime; default 3605). 30 is what strict load balancers in front of a SIP
   * server do: a client without keep-alives loses its socket between REGISTER refreshes.
   */
  idleLimitSec?: number;
}

/** A running test SIP server. */
export interface Kamailio {
  /** SIP over WebSocket, e.g. `ws://127.0.0.1:40123`. */
  readonly wsUrl: string;
  readonly wsPort: number;
  /** SIP over UDP on 127.0.0.1 (for sipp callers). */
  readonly udpPort: number;
  /** The SIP domain of every account: `sip:USER@DOMAIN`. */
  readonly domain: string;
  /** PID of Kamailio's main process (changes on restart). */
  readonly pid: number;
  /** Kamailio's stdout and stderr, appended across restarts. */
  readonly logPath: string;
  /** Milliseconds from spawn to ready, for the last (re)start. */
  readonly startToReadyMs: number;
  /** Adds (or changes) an account, effective at once and kept across restarts. */
  addUser(user: SipUser): Promise<void>;
  /** Adds an account with a unique name ({@link uniqueUser}) and a random password. */
  newUser(prefix?: string): Promise<SipUser>;
  /** How many contacts the registrar holds for a user (0 when not registered). */
  contactCount(user: string): Promise<number>;
  /**
   * The user's contacts that have not expired, with the seconds each has left: a contact whose
   * client stopped refreshing stays listed (as expired) until the registrar's timer removes it.
   */
  liveContacts(user: string): Promise<number[]>;
  /**
   * Forgets a user's registrations on the server side only (RPC `ul.rm`): the client's WebSocket
   * stays open and it is told nothing, as when a registrar loses its bindings during a sleep.
   */
  dropRegistrations(user: string): Promise<void>;
  /** SIGTERM, then waits until every Kamailio process is gone (≈2 s). Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL to the whole process group (a crash, for restart tests); waits until gone. */
  kill(): Promise<void>;
  /** Starts again on the same ports with the same accounts (stops first if running). */
  restart(): Promise<void>;
  /** Keep the run dir (config and log) after stop(), e.g. because a test failed. */
  keepLogs(): void;
}

const TEMPLATE = fileURLToPath(new URL('./kamailio/kamailio.cfg.tmpl', import.meta.url));
// Users and passwords are written into the config as string literals: keep them to a safe alphabet.
const SAFE_TOKEN = /^[A-Za-z0-9._-]{1,64}$/;

let uniqueCounter = 0;

/**
 * A user name no other test (in this or a parallel run) will register: Kamailio forks an INVITE to
 * every contact of a user, so a shared name lets a stale client answer first.
 */
export function uniqueUser(prefix = 'u'): string {
  uniqueCounter += 1;
  return `${prefix}-${process.pid.toString(36)}${uniqueCounter.toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Starts Kamailio on free loopback ports and resolves once it accepts WebSocket and UDP SIP. */
export async function startKamailio(options: StartKamailioOptions = {}): Promise<Kamailio> {
  const users = new Map<string, string>();
  for (const u of options.users ?? []) {
    assertSafe(u);
    users.set(u.user, u.password);
  }
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-kamailio-'));
  const logPath = path.join(runDir, 'kamailio.log');
  const cfgPath = path.join(runDir, 'kamailio.cfg');
  const authSecret = randomBytes(16).toString('hex');
  const logLevel = options.logLevel ?? 1;
  const readyTimeoutMs = options.readyTimeoutMs ?? 8000;
  const maxExpiresSec = options.maxExpiresSec ?? 3600;
  if (!Number.isInteger(maxExpiresSec) || maxExpiresSec < 1 || maxExpiresSec > 86_400) throw new Error('maxExpiresSec: 1..86400');
  const idleLimitSec = options.idleLimitSec ?? 3605;
  if (!Number.isInteger(idleLimitSec) || idleLimitSec < 5 || idleLimitSec > 86_400) throw new Error('idleLimitSec: 5..86400');

  let ports = await pickPorts();
  let child: ChildProcess | undefined;
  let pgid = 0;
  let startToReadyMs = 0;
  let keep = process.env.KOTOZUTE_KEEP_SIP_LOGS === '1';
  // If the test runner dies, don't leave Kamailio holding ports.
  const onExit = (): void => {
    if (pgid) killGroup(pgid, 'SIGKILL');
  };

  async function launch(): Promise<void> {
    const template = await readFile(TEMPLATE, 'utf8');
    await writeFile(cfgPath, renderConfig(template, { ...ports, logLevel, authSecret, users, maxExpiresSec, idleLimitSec }));
    const log = await open(logPath, 'a');
    const started = performance.now();
    try {
      child = spawn('kamailio', ['-f', cfgPath, '-DD', '-E', '-Y', runDir, '-m', '64', '-M', '8'], {
        cwd: runDir,
        // Own process group: kill() reaches every forked worker, not only the main process.
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
      });
    } finally {
      await log.close();
    }
    const proc = child;
    pgid = proc.pid ?? 0;
    process.once('exit', onExit);
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', (err) => reject(new Error(`kamailio did not start: ${err.message}`)));
      proc.once('exit', (code, signal) => reject(new Error(`kamailio exited (${code ?? signal}) before ready`)));
    });
    exited.catch(() => undefined);
    try {
      await Promise.race([waitReady(ports, readyTimeoutMs), exited]);
    } catch (err) {
      await terminate('SIGKILL');
      const tail = (await readFile(logPath, 'utf8').catch(() => '')).split('\n').slice(-25).join('\n');
      throw new Error(`${(err as Error).message}; log: ${logPath}\n${tail}`, { cause: err });
    }
    startToReadyMs = performance.now() - started;
  }

  async function terminate(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    if (!pgid) return;
    const group = pgid;
    if (signal === 'SIGKILL') {
      killGroup(group, 'SIGKILL');
    } else {
      try {
        child?.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
    // Kamailio's graceful shutdown takes ≈2 s; don't let a stuck worker hold the ports for ever.
    const gone = await waitGroupGone(group, 6000);
    if (!gone) {
      killGroup(group, 'SIGKILL');
      await waitGroupGone(group, 3000);
    }
    process.removeListener('exit', onExit);
    pgid = 0;
    child = undefined;
  }

  async function rpc(method: string, params: string[]): Promise<RpcReply> {
    return postJson(`http://127.0.0.1:${ports.wsPort}/RPC`, { jsonrpc: '2.0', method, params, id: 1 }) as Promise<RpcReply>;
  }

  // A port picked free may be taken by the time Kamailio binds it: retry with fresh ports.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await launch();
      break;
    } catch (err) {
      if (attempt >= 3 || !/Address already in use/i.test((err as Error).message)) throw err;
      ports = await pickPorts();
    }
  }

  const kam: Kamailio = {
    get wsUrl() {
      return `ws://127.0.0.1:${ports.wsPort}`;
    },
    get wsPort() {
      return ports.wsPort;
    },
    get udpPort() {
      return ports.udpPort;
    },
    domain: options.domain ?? '127.0.0.1',
    get pid() {
      return pgid;
    },
    logPath,
    get startToReadyMs() {
      return startToReadyMs;
    },
    async addUser(u) {
      assertSafe(u);
      users.set(u.user, u.password);
      if (!pgid) return;
      const reply = await rpc('htable.sets', ['users', u.user, u.password]);
      if (reply.error) throw new Error(`kamailio rpc htable.sets failed: ${reply.error.message ?? reply.error.code}`);
    },
    async newUser(prefix = 'u') {
      const u = { user: uniqueUser(prefix), password: randomBytes(9).toString('base64url') };
      await kam.addUser(u);
      return u;
    },
    async contactCount(user) {
      const reply = await rpc('ul.lookup', ['location', user]);
      if (reply.error) {
        // Kamailio 5.6 answers an unknown or emptied AOR with an error text rather than a 404.
        if (reply.error.code === 404 || /AOR (not found|has no contacts)/i.test(reply.error.message ?? '')) return 0;
        throw new Error(`kamailio rpc ul.lookup failed: ${reply.error.message ?? reply.error.code}`);
      }
      const contacts = (reply.result as { Contacts?: unknown[] } | undefined)?.Contacts;
      return Array.isArray(contacts) ? contacts.length : 0;
    },
    async liveContacts(user) {
      const reply = await rpc('ul.lookup', ['location', user]);
      if (reply.error) {
        if (reply.error.code === 404 || /AOR (not found|has no contacts)/i.test(reply.error.message ?? '')) return [];
        throw new Error(`kamailio rpc ul.lookup failed: ${reply.error.message ?? reply.error.code}`);
      }
      const contacts = (reply.result as { Contacts?: { Contact?: { Expires?: unknown } }[] } | undefined)?.Contacts ?? [];
      // Seconds left, or a word ("expired", "permanent", "deleted") for a contact not counted here.
      return contacts.map((c) => c.Contact?.Expires).filter((e): e is number => typeof e === 'number' && e > 0);
    },
    async dropRegistrations(user) {
      const reply = await rpc('ul.rm', ['location', user]);
      if (reply.error && !/not found/i.test(reply.error.message ?? '')) {
        throw new Error(`kamailio rpc ul.rm failed: ${reply.error.message ?? reply.error.code}`);
      }
    },
    async stop() {
      await terminate('SIGTERM');
      if (!keep) await rm(runDir, { recursive: true, force: true });
    },
    async kill() {
      await terminate('SIGKILL');
    },
    async restart() {
      await terminate('SIGTERM');
      await launch();
    },
    keepLogs() {
      keep = true;
    },
  };
  return kam;
}

interface RpcReply {
  result?: unknown;
  error?: { code?: number; message?: string };
}

interface Ports {
  udpPort: number;
  wsPort: number;
}

function assertSafe(u: SipUser): void {
  if (!SAFE_TOKEN.test(u.user) || !SAFE_TOKEN.test(u.password)) {
    throw new Error('test SIP users and passwords must match [A-Za-z0-9._-]{1,64}');
  }
}

function renderConfig(
  template: string,
  v: Ports & { logLevel: number; authSecret: string; users: Map<string, string>; maxExpiresSec: number; idleLimitSec: number },
): string {
  const userLines = [...v.users].map(([user, password]) => `\t$sht(users=>${user}) = "${password}";`);
  const values: Record<string, string> = {
    UDP_PORT: String(v.udpPort),
    WS_PORT: String(v.wsPort),
    LOG_LEVEL: String(v.logLevel),
    AUTH_SECRET: v.authSecret,
    MAX_EXPIRES: String(v.maxExpiresSec),
    TCP_LIFETIME: String(v.idleLimitSec),
    // Kamailio raises an expiry below min_expires (default 60) after capping it at max_expires.
    MIN_EXPIRES: String(Math.min(60, v.maxExpiresSec)),
    USERS: userLines.length ? userLines.join('\n') : '\t$var(no_users) = 1;',
  };
  return template.replace(/@([A-Z_]+)@/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`kamailio.cfg.tmpl: unknown placeholder ${whole}`);
    return value;
  });
}

async function pickPorts(): Promise<Ports> {
  const wsPort = await freeTcpPort();
  let udpPort = await freeUdpPort();
  while (udpPort === wsPort) udpPort = await freeUdpPort();
  return { udpPort, wsPort };
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A free UDP port on 127.0.0.1 (also used for sipp's signalling and media ports). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const port = socket.address().port;
      socket.close(() => resolve(port));
    });
  });
}

async function waitReady(ports: Ports, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let wsOk = false;
  let udpOk = false;
  while (performance.now() < deadline) {
    [wsOk, udpOk] = await Promise.all([
      wsOk || probeWebSocket(ports.wsPort),
      udpOk || probeUdpOptions(ports.udpPort),
    ]);
    if (wsOk && udpOk) return;
    await sleep(20);
  }
  throw new Error(`kamailio not ready after ${timeoutMs} ms (websocket ${wsOk}, udp ${udpOk})`);
}

function probeWebSocket(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, 'sip');
    const timer = setTimeout(() => done(false), 500);
    function done(ok: boolean): void {
      clearTimeout(timer);
      ws.onopen = ws.onerror = null;
      try {
        ws.close();
      } catch {
        // not open
      }
      resolve(ok);
    }
    ws.onopen = () => done(ws.protocol === 'sip');
    ws.onerror = () => done(false);
  });
}

function probeUdpOptions(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    // A datagram to a port not yet bound is lost without an error: give up soon and probe again.
    const timer = setTimeout(() => done(false), 100);
    function done(ok: boolean): void {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    }
    socket.on('error', () => done(false));
    socket.on('message', (msg) => done(msg.toString('utf8').startsWith('SIP/2.0 200')));
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const id = randomBytes(6).toString('hex');
      const options = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${id};rport`,
        `From: <sip:probe@127.0.0.1>;tag=${id}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: probe-${id}`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(options, port, '127.0.0.1');
    });
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Waits until no live (non-zombie) process is left in the group; forked workers outlive main. */
async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!(await groupAlive(pgid))) return true;
    await sleep(25);
  }
  return false;
}

async function groupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // kill(0) also succeeds for zombies waiting to be reaped: look at each process's state.
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[2] === String(pgid) && fields[0] !== 'Z') return true;
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const RPC_TIMEOUT_MS = 5_000;
const RPC_MAX_REPLY_BYTES = 1024 * 1024;

/**
 * One JSON-RPC POST on a connection of its own. Not fetch: undici keeps the connection for the next
 * request, and Kamailio's xhttp closes it in the meantime, so that request failed now and then with
 * "other side closed" (seen in CI and the calls bench). Timed out and capped like any boundary.
 */
function postJson(url: string, body: unknown): Promise<unknown> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': payload.length, connection: 'close' }, timeout: RPC_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > RPC_MAX_REPLY_BYTES) req.destroy(new Error(`Kamailio RPC reply over ${RPC_MAX_REPLY_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(new Error(`Kamailio RPC reply is not JSON (HTTP ${res.statusCode}): ${(err as Error).message}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Kamailio RPC did not answer in ${RPC_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

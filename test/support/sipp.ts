// sipp (Debian `sip-tester`) as a SIP endpoint that is not sip.js: SIP over UDP into the test
// Kamailio. Scenarios live in test/support/sipp/. Every run gets free ports (never sipp's default
// 5060/6000, so runs don't collide) and a temp dir for its error log.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPort } from './kamailio.js';

/** Where Kamailio listens for SIP over UDP. */
export interface SippTarget {
  /** Kamailio's UDP port on 127.0.0.1. */
  udpPort: number;
  /** SIP domain of the accounts (Kamailio's domain). */
  domain: string;
}

/** What sipp reported: exit code 0 means the scenario ran to its end. */
export interface SippResult {
  exitCode: number | null;
  /** sipp's stdout and stderr. */
  output: string;
  /** sipp's error log (unexpected messages and the like). */
  errors: string;
}

/** A sipp process that is still running, e.g. a callee waiting for its call. */
export interface SippRun {
  /** sipp's SIP port on 127.0.0.1. */
  readonly port: number;
  /** Settles when sipp exits. */
  readonly done: Promise<SippResult>;
  /** Kills sipp if still running and waits for it. */
  stop(): Promise<SippResult>;
}

/** Options for {@link sippCall}. */
export interface SippCallOptions extends SippTarget {
  /** User part of the callee's address. */
  callee: string;
  /** Sent as `X-Called-Number`. */
  calledNumber: string;
  /** The caller's number (From user). */
  callerNumber?: string;
  /** sipp's own global timeout (default 8000 ms). */
  timeoutMs?: number;
}

/** Options for {@link sippCallee}. */
export interface SippCalleeOptions extends SippTarget {
  user: string;
  password: string;
  /** sipp's own global timeout (default 8000 ms). */
  timeoutMs?: number;
}

const SCENARIOS = fileURLToPath(new URL('./sipp/', import.meta.url));

/**
 * Places one call with sipp/uac-invite.xml: INVITE with X-Called-Number, ACK along the recorded
 * route, 200 ms up, BYE. No authentication: callers stand in for a trusted PBX.
 */
export async function sippCall(options: SippCallOptions): Promise<SippResult> {
  const run = await runSipp(options, 'uac-invite.xml', options.timeoutMs ?? 8000, [
    '-s', options.callee,
    '-key', 'called', options.calledNumber,
    '-key', 'caller', options.callerNumber ?? '0501234567',
  ]);
  return run.done;
}

/**
 * A callee over UDP: starts sipp/uas-answer.xml (answers one INVITE, waits for BYE), then registers
 * its port for `user` with digest auth (sipp/uac-register.xml) and resolves once registered.
 * `done` settles after the caller's BYE was answered.
 */
export async function sippCallee(options: SippCalleeOptions): Promise<SippRun> {
  const timeoutMs = options.timeoutMs ?? 8000;
  const callee = await runSipp(options, 'uas-answer.xml', timeoutMs, ['-key', 'user', options.user]);
  const registration = await runSipp(options, 'uac-register.xml', 5000, [
    '-au', options.user,
    '-ap', options.password,
    '-key', 'user', options.user,
    '-key', 'contact_port', String(callee.port),
    '-key', 'expires', '300',
  ]).then((run) => run.done);
  if (registration.exitCode !== 0) {
    await callee.stop();
    throw new Error(`sipp REGISTER for ${options.user} failed (${registration.exitCode}): ${registration.errors || registration.output}`);
  }
  return callee;
}

async function runSipp(target: SippTarget, scenario: string, timeoutMs: number, extra: string[]): Promise<SippRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-sipp-'));
  const errorFile = path.join(dir, 'errors.log');
  const port = await freeUdpPort();
  const mediaPort = await freeUdpPort();
  const args = [
    `127.0.0.1:${target.udpPort}`,
    '-sf', path.join(SCENARIOS, scenario),
    '-m', '1',
    '-i', '127.0.0.1',
    '-p', String(port),
    '-mp', String(mediaPort),
    '-t', 'u1',
    '-nostdin',
    // No automatic answers (e.g. 200 to an unexpected BYE): the scenario says everything.
    '-nd',
    '-timeout', `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
    '-trace_err',
    '-error_file', errorFile,
    '-key', 'domain', target.domain,
    ...extra,
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  // Belt and braces: sipp's own -timeout should fire first.
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 3000);
  const done = new Promise<SippResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      void readFile(errorFile, 'utf8')
        .catch(() => '')
        .then(async (errors) => {
          await rm(dir, { recursive: true, force: true });
          resolve({ exitCode: code, output, errors });
        });
    });
  });
  return {
    port,
    done,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return done;
    },
  };
}

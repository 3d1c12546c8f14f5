/**
 * A loopback HTTPS server standing in for Slack, Teams, Chatwork, LINE WORKS or a client's webhook.
 * It checks every request the way the service documents, replies in the service's words, and can be
 * told to misbehave: rate-limit, fail, hang, answer garbage, redirect, or go down and come back.
 */
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { HandOffChannel } from '../../../shared/directory/schema.js';
import { chatworkFormat } from './chatwork-format.js';
import { lineworksFormat } from './lineworks-format.js';
import { loopbackCa } from './loopback-ca.js';
import type { Delivery, ServiceFormat, ServiceKind, ServiceReply } from './service-format.js';
import { slackFormat } from './slack-format.js';
import { teamsFormat } from './teams-format.js';
import { webhookFormat } from './webhook-format.js';

/** What the receiver does with one request. */
export type Behaviour =
  | 'succeed'
  | 'server-error'
  | 'hang'
  /** Takes the message (it counts as received) and never answers: the confirmation is lost. */
  | 'deliver-then-hang'
  | 'garbage'
  | 'reject'
  | { rateLimit: string }
  | { redirectTo: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  behaviour: Behaviour;
  /** Why the request did not match the service's format, if it did not. */
  problem?: string;
  status?: number;
}

export interface HttpsReceiverOptions {
  /** Applied to successive requests; after the list runs out, `otherwise`. */
  behaviours?: Behaviour[];
  otherwise?: Behaviour;
  /** The receiver's clock, for the webhook's timestamp check. */
  now?: () => Date;
}

export interface HttpsReceiver {
  kind: ServiceKind;
  port: number;
  /** The value to keep in the secret store for this receiver's channel. */
  secret: string;
  /** A directory channel pointing at this receiver (secret name "test.<kind>"). */
  channel: HandOffChannel;
  /** Messages the service would have posted; the webhook drops repeated Idempotency-Keys. */
  received: Delivery[];
  /** Every request that reached the receiver, in order. */
  requests: RecordedRequest[];
  /** Webhook requests answered as duplicates. */
  duplicates: number;
  /** Replaces the script for the following requests. */
  script(behaviours: Behaviour[], otherwise?: Behaviour): void;
  /** Closes the port (connections are refused) … */
  down(): Promise<void>;
  /** … and opens it again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

function setup(kind: ServiceKind, base: string): { format: ServiceFormat; secret: string; channel: HandOffChannel } {
  const ref = `test.${kind}`;
  switch (kind) {
    case 'slack': {
      const path = '/services/T0LOOPBACK/B0LOOPBACK/x7Yq2hook';
      return { format: slackFormat(path), secret: `${base}${path}`, channel: { kind, id: 'slack', webhookSecret: ref } };
    }
    case 'teams': {
      const path = '/workflows/0f1e2d3c/triggers/manual/paths/invoke';
      const sig = 'loopback-sig-123';
      return {
        format: teamsFormat(path, sig),
        secret: `${base}${path}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`,
        channel: { kind, id: 'teams', webhookSecret: ref },
      };
    }
    case 'chatwork': {
      const token = 'cw-loopback-token';
      return {
        format: chatworkFormat(token, '310045'),
        secret: JSON.stringify({ token, baseUrl: `${base}/v2` }),
        channel: { kind, id: 'chatwork', roomId: '310045', tokenSecret: ref },
      };
    }
    case 'lineworks': {
      const token = 'lw-loopback-access-token';
      return {
        format: lineworksFormat(token, '2000123', 'aoba-reception'),
        secret: JSON.stringify({ token, baseUrl: `${base}/v1.0` }),
        channel: { kind, id: 'lineworks', botId: '2000123', channelId: 'aoba-reception', tokenSecret: ref },
      };
    }
    case 'webhook': {
      const secret = 'whsec-loopback-signing-key';
      return {
        format: webhookFormat('/kotozute/messages', secret),
        secret,
        channel: { kind, id: 'webhook', url: `${base}/kotozute/messages`, signingSecret: ref },
      };
    }
  }
}

function replyFor(behaviour: Behaviour, format: ServiceFormat, port: number): ServiceReply | 'hang' {
  if (behaviour === 'hang' || behaviour === 'deliver-then-hang') return 'hang';
  if (behaviour === 'succeed') return format.success();
  if (behaviour === 'server-error') return format.serverError();
  if (behaviour === 'garbage') return format.garbage();
  if (behaviour === 'reject') return format.rejected();
  if ('rateLimit' in behaviour) {
    const r = format.rateLimited();
    return { ...r, headers: { ...r.headers, 'retry-after': behaviour.rateLimit } };
  }
  // The default target is another loopback host on the same port: a different host all the same.
  const location = behaviour.redirectTo || `https://127.0.0.2:${port}/elsewhere`;
  return { status: 307, headers: { location }, body: '' };
}

/** Starts a receiver for `kind` on 127.0.0.1 with the loopback CA's certificate. */
export async function startHttpsReceiver(kind: ServiceKind, options: HttpsReceiverOptions = {}): Promise<HttpsReceiver> {
  const { key, cert } = loopbackCa();
  const now = options.now ?? (() => new Date());
  let queue = [...(options.behaviours ?? [])];
  let otherwise: Behaviour = options.otherwise ?? 'succeed';
  const sockets = new Set<Socket>();
  const seenKeys = new Set<string>();
  let port = 0;
  // Known once the port is: the secret and channel name it.
  const state: { ready?: ReturnType<typeof setup> } = {};

  const server = https.createServer({ key, cert, minVersion: 'TLSv1.2' }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const ready = state.ready;
      if (!ready) return;
      const body = Buffer.concat(chunks).toString('utf8');
      const behaviour = queue.shift() ?? otherwise;
      const entry: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, behaviour };
      receiver.requests.push(entry);
      const verdict = ready.format.check({ method: entry.method, path: entry.path, headers: req.headers, body }, now());
      if (!verdict.ok) entry.problem = verdict.problem;
      let reply: ServiceReply | 'hang';
      const delivers = behaviour === 'succeed' || behaviour === 'deliver-then-hang';
      if (delivers && !verdict.ok) {
        reply = verdict.reply;
      } else {
        reply = replyFor(behaviour, ready.format, port);
        if (delivers && verdict.ok) {
          const k = verdict.delivery.idempotencyKey;
          if (k !== undefined && seenKeys.has(k)) receiver.duplicates += 1;
          else {
            if (k !== undefined) seenKeys.add(k);
            receiver.received.push(verdict.delivery);
          }
        }
      }
      if (reply === 'hang') return; // Never answered; the socket is destroyed on down() or close().
      entry.status = reply.status;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A sender that gives up mid-handshake is expected in the hang and timeout tests.
  server.on('tlsClientError', () => {});

  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) resolve();
      else server.close(() => resolve());
    });

  await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no port');
  port = address.port;
  const ready = setup(kind, `https://127.0.0.1:${port}`);
  state.ready = ready;

  const receiver: HttpsReceiver = {
    kind,
    port,
    secret: ready.secret,
    channel: ready.channel,
    received: [],
    requests: [],
    duplicates: 0,
    script(behaviours, next) {
      queue = [...behaviours];
      if (next) otherwise = next;
    },
    down: shut,
    up: () => listen(port),
    close: shut,
  };
  return receiver;
}

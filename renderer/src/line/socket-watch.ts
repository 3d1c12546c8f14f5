/**
 * What happened on the WebSocket sip.js opened for one connection attempt. sip.js turns every
 * failure into "not connected" and silently drops messages it cannot parse; the operator needs to
 * know whether the server is unreachable, too slow, or not a SIP server at all.
 */

/** The events of one socket, recorded as they happen. */
export interface SocketWatch {
  readonly startedAt: number;
  opened: boolean;
  /** The negotiated subprotocol once open (RFC 7118 requires `sip`). */
  protocol: string | null;
  /** Something arrived that is not a SIP message. */
  garbage: boolean;
  /** Called once, the first time garbage arrives. */
  onGarbage: (() => void) | null;
  /** Called for everything that arrives: a keep-alive answer (a bare CRLF) or anything else. */
  onTraffic: ((kind: 'pong' | 'message') => void) | null;
}

/** A SIP start line: a status line or a request line. */
const SIP_START = /^(?:SIP\/2\.0 \d{3}(?: |$)|[A-Za-z]+ \S+ SIP\/2\.0$)/;
const KEEPALIVE = /^(?:\r\n)+$/;

/** The start of a WebSocket message as text (binary frames are decoded as UTF-8). */
function firstLine(data: unknown): string | null {
  let text: string;
  if (typeof data === 'string') text = data;
  else if (data instanceof ArrayBuffer) text = new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(data, 0, Math.min(data.byteLength, 256)));
  else return null;
  if (KEEPALIVE.test(text)) return '';
  return text.slice(0, 256).split(/\r?\n/, 1)[0] ?? '';
}

/** Whether one WebSocket message could be SIP (keepalives count as SIP). */
export function looksLikeSip(data: unknown): boolean {
  const line = firstLine(data);
  if (line === null) return false;
  return line === '' || SIP_START.test(line);
}

/** Starts recording the events of `ws`. */
export function watchSocket(ws: WebSocket, now: () => number): SocketWatch {
  const watch: SocketWatch = { startedAt: now(), opened: false, protocol: null, garbage: false, onGarbage: null, onTraffic: null };
  ws.addEventListener('open', () => {
    watch.opened = true;
    watch.protocol = ws.protocol;
  });
  ws.addEventListener('message', (event: MessageEvent) => {
    watch.onTraffic?.(typeof event.data === 'string' && KEEPALIVE.test(event.data) ? 'pong' : 'message');
    if (watch.garbage || looksLikeSip(event.data)) return;
    watch.garbage = true;
    const callback = watch.onGarbage;
    watch.onGarbage = null;
    callback?.();
  });
  return watch;
}

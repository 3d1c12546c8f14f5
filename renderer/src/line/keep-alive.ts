/**
 * Keep-alives on the line's WebSocket (issue 14 §5). Between REGISTER refreshes the socket would carry
 * nothing for minutes, and proxies and load balancers close sockets idle for 60–120 s: an INVITE
 * then finds no socket and the desk misses the call until it notices. A double CRLF (RFC 5626
 * §4.4.1, which SIP-over-WebSocket servers such as Kamailio answer with a CRLF) goes out well below
 * those limits.
 *
 * The answer also tells whether the socket is alive: once the server has answered a keep-alive on
 * this socket, one left unanswered means the socket is dead (a NAT or a load balancer dropped it
 * without a word) and the line reconnects at once instead of waiting for the next REGISTER. A server
 * that never answers keep-alives only gets them sent.
 */

/** Sent every 20–25 s: below the 30 s idle limit some load balancers use, far below 60–120 s. */
export const KEEPALIVE_MS = 25_000;
/** How long the answer to a keep-alive may take before the socket counts as dead. */
export const KEEPALIVE_ANSWER_MS = 10_000;

export interface KeepAliveDeps {
  /** Sends the double CRLF on the socket. */
  send(): void;
  /** The server answered before and now did not: the socket is dead. */
  onDead(): void;
  intervalMs?: number;
  answerMs?: number;
  random?: () => number;
}

export interface KeepAlive {
  /** Something arrived on the socket: `pong` for a keep-alive answer, `message` for SIP. */
  heard(kind: 'pong' | 'message'): void;
  stop(): void;
}

export function startKeepAlive(deps: KeepAliveDeps): KeepAlive {
  const intervalMs = deps.intervalMs ?? KEEPALIVE_MS;
  const answerMs = deps.answerMs ?? KEEPALIVE_ANSWER_MS;
  const random = deps.random ?? Math.random;
  let answersKeepAlives = false;
  let waiting: ReturnType<typeof setTimeout> | undefined;
  let next: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const settle = (): void => {
    if (waiting !== undefined) clearTimeout(waiting);
    waiting = undefined;
  };

  const schedule = (): void => {
    if (stopped) return;
    // Spread over the last fifth of the interval, so a floor of desks does not send in step.
    next = setTimeout(tick, intervalMs * (0.8 + 0.2 * random()));
  };

  const tick = (): void => {
    next = undefined;
    if (stopped) return;
    if (waiting === undefined) {
      try {
        deps.send();
      } catch {
        // the socket is closing: its own close event takes over
      }
      waiting = setTimeout(() => {
        waiting = undefined;
        if (!stopped && answersKeepAlives) deps.onDead();
      }, answerMs);
    }
    schedule();
  };

  schedule();
  return {
    heard(kind) {
      if (kind === 'pong') answersKeepAlives = true;
      settle();
    },
    stop() {
      stopped = true;
      settle();
      if (next !== undefined) clearTimeout(next);
      next = undefined;
    },
  };
}

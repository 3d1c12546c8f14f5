/**
 * Sends a floor reply (a clearance report, issue 10 §4) until the SIP server takes it: a report that
 * is lost — this desk's line re-registering at that moment, the lead desk's line between sockets —
 * would leave the shift lead's list at "clearing" and then "offline" although the desk did answer.
 * Each try waits for the final response; bounded: a few tries, a second apart.
 */
export const REPLY_TRIES = 5;
export const REPLY_RETRY_MS = 1_000;

export async function sendReply(send: () => Promise<void>, o: { tries?: number; retryMs?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<boolean> {
  const tries = o.tries ?? REPLY_TRIES;
  const retryMs = o.retryMs ?? REPLY_RETRY_MS;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let i = 0; i < tries; i++) {
    try {
      await send();
      return true;
    } catch {
      if (i + 1 < tries) await sleep(retryMs);
    }
  }
  return false;
}

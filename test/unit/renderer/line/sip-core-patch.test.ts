/**
 * patches/sip.js+0.21.2.patch, the input hunks: sip.js 0.21.2 threw "Request-URI undefined." for a
 * request to a tel:/urn:/unknown-scheme URI and "Unexpected out of dialog request method" for an
 * out-of-dialog PRACK or an unmatched CANCEL (uncaught errors of the page, seen as `pageerror`), and
 * a TypeError for a response with an unreadable CSeq. These feed raw messages straight into a
 * UserAgent (no screen in front: that is sip-screen.ts, tested apart) and read what it answers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EmitterImpl, UserAgent, type Transport } from 'sip.js';
import { afterEach, describe, expect, it } from 'vitest';

const sent: string[] = [];
let transport: Transport | undefined;
const agents: UserAgent[] = [];

/** A transport that is always connected and keeps what the user agent sends. */
class RecordingTransport {
  state = 'Connected';
  stateChange = new EmitterImpl<string>();
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  constructor() {
    transport = this as unknown as Transport;
  }
  connect(): Promise<void> {
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    return Promise.resolve();
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
  isConnected(): boolean {
    return true;
  }
  send(message: string): Promise<void> {
    sent.push(message);
    return Promise.resolve();
  }
}

async function agent(): Promise<Transport> {
  const ua = new UserAgent({
    uri: UserAgent.makeURI('sip:desk@kotozute.test'),
    transportConstructor: RecordingTransport as never,
    logBuiltinEnabled: false,
    logConnector: () => undefined,
  });
  agents.push(ua);
  await ua.start();
  return transport!;
}

function request(method: string, uri: string, cseqMethod = method): string {
  return [`${method} ${uri} SIP/2.0`, 'Via: SIP/2.0/WSS h.invalid;branch=z9hG4bK-patch', 'Max-Forwards: 70', 'From: <sip:a@h.invalid>;tag=1', 'To: <sip:desk@kotozute.test>', 'Call-ID: patch-1', `CSeq: 1 ${cseqMethod}`, 'Content-Length: 0', '', ''].join('\r\n');
}

afterEach(() => {
  sent.length = 0;
  agents.splice(0).forEach((ua) => void ua.stop().catch(() => undefined));
});

describe('the sip.js input patch', () => {
  it('is applied to the installed sip.js', () => {
    const dir = path.dirname(createRequire(import.meta.url).resolve('sip.js/package.json'));
    const core = readFileSync(path.join(dir, 'lib/core/user-agent-core/user-agent-core.js'), 'utf8');
    expect(core).not.toContain('throw new Error("Request-URI undefined.")');
    expect(core).not.toContain('Unexpected out of dialog request method');
  });

  it.each(['tel:+81312345678', 'urn:service:sos', 'nobodyKnowsThisScheme:totallyopaquecontent'])('answers a request to %s 416 instead of throwing', async (uri) => {
    const t = await agent();
    expect(() => t.onMessage!(request('OPTIONS', uri))).not.toThrow();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^SIP\/2\.0 416 /);
  });

  it('answers an out-of-dialog PRACK 481 instead of throwing', async () => {
    const t = await agent();
    expect(() => t.onMessage!(request('PRACK', 'sip:desk@kotozute.test'))).not.toThrow();
    expect(sent[0]).toMatch(/^SIP\/2\.0 481 /);
  });

  it('drops a response with an unreadable CSeq instead of throwing', async () => {
    const t = await agent();
    const response = ['SIP/2.0 200 OK', 'Via: SIP/2.0/WSS h.invalid;branch=z9hG4bK-x', 'From: <sip:a@h.invalid>;tag=1', 'To: <sip:desk@kotozute.test>;tag=2', 'Call-ID: patch-2', 'CSeq: many OPTIONS', 'Content-Length: 0', '', ''].join('\r\n');
    expect(() => t.onMessage!(response)).not.toThrow();
    expect(sent).toEqual([]);
  });
});

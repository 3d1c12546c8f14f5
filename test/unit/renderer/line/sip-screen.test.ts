/**
 * renderer/src/line/sip-screen.ts: the verdict for each kind of message (the whole RFC 4475 /
 * RFC 5118 suite runs against the line in test/integration/line/sip-torture.test.ts), and the
 * transport wrapper: refusals are answered on the transport, and what sip.js throws stays inside.
 */
import { describe, expect, it } from 'vitest';
import { Core, EmitterImpl, TransportState, UserAgent, type Transport } from 'sip.js';
import { screenSipMessage, screenTransport } from '../../../../renderer/src/line/sip-screen.js';

function options(patch: (lines: string[]) => string[] = (l) => l): string {
  const lines = ['OPTIONS sip:desk@kotozute.test SIP/2.0', 'Via: SIP/2.0/WSS h.invalid;branch=z9hG4bK-unit', 'Max-Forwards: 70', 'From: <sip:a@h.invalid>;tag=1', 'To: <sip:desk@kotozute.test>', 'Call-ID: unit-1', 'CSeq: 1 OPTIONS', 'Content-Length: 0'];
  return [...patch(lines), '', ''].join('\r\n');
}
const status = (raw: string): number | string => {
  const v = screenSipMessage(raw);
  return v.kind === 'answer' ? v.status : v.kind;
};

describe('screening SIP input', () => {
  it('passes a well-formed request and a keep-alive to sip.js', () => {
    expect(status(options())).toBe('pass');
    expect(status('\r\n\r\n')).toBe('pass');
  });

  it.each([
    ['SIP/7.0', (l: string[]) => [l[0]!.replace('SIP/2.0', 'SIP/7.0'), ...l.slice(1)], 505],
    ['a CSeq for another method', (l: string[]) => l.map((x) => x.replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE')), 400],
    ['two Content-Lengths', (l: string[]) => [...l, 'Content-Length: 193'], 400],
    ['the bare branch cookie', (l: string[]) => l.map((x) => x.replace('branch=z9hG4bK-unit', 'branch=z9hG4bK')), 400],
    ['Max-Forwards 300', (l: string[]) => l.map((x) => x.replace('Max-Forwards: 70', 'Max-Forwards: 300')), 400],
    ['a tel: Request-URI', (l: string[]) => [l[0]!.replace('sip:desk@kotozute.test', 'tel:+81312345678'), ...l.slice(1)], 416],
    ['a From sip.js cannot read', (l: string[]) => l.map((x) => (x.startsWith('From') ? 'From: Bell, Alexander <sip:a@h.invalid>;tag=1' : x)), 400],
    ['an unknown method', (l: string[]) => [l[0]!.replace('OPTIONS', 'NEWMETHOD'), ...l.slice(1)], 501],
  ])('refuses %s', (_what, patch, expected) => {
    expect(status(options(patch))).toBe(expected);
  });

  it('answers with the request\'s Via, From, Call-ID and CSeq, and a To tag', () => {
    const v = screenSipMessage(options((l) => [l[0]!.replace('SIP/2.0', 'SIP/7.0'), ...l.slice(1)]));
    if (v.kind !== 'answer') throw new Error('expected an answer');
    expect(v.response).toMatch(/^SIP\/2\.0 505 Version Not Supported\r\nVia: SIP\/2\.0\/WSS h\.invalid;branch=z9hG4bK-unit\r\nFrom: <sip:a@h\.invalid>;tag=1\r\nTo: <sip:desk@kotozute\.test>;tag=\w+\r\nCall-ID: unit-1\r\nCSeq: 1 OPTIONS\r\n/);
  });

  it('never answers an ACK, and drops responses no one can read', () => {
    expect(status(options((l) => [l[0]!.replace('OPTIONS', 'ACK').replace('SIP/2.0', 'SIP/7.0'), ...l.slice(1)]))).toBe('drop');
    expect(status(['SIP/2.0 200 OK', 'Via: SIP/2.0/WSS h.invalid;branch=z9hG4bK-x', 'CSeq: many OPTIONS', '', ''].join('\r\n'))).toBe('drop');
    expect(status(['SIP/2.0 4294967301 big', 'Via: SIP/2.0/WSS h.invalid;branch=z9hG4bK-x', 'CSeq: 1 OPTIONS', '', ''].join('\r\n'))).toBe('drop');
  });

  it('answers refusals on the transport and keeps what the stack throws from leaving it', () => {
    const sent: string[] = [];
    const seen: unknown[] = [];
    const reports: string[] = [];
    const transport = {
      onMessage: (raw: unknown) => {
        seen.push(raw);
        throw new Error('sip.js failed');
      },
      send: (raw: string) => {
        sent.push(raw);
        return Promise.resolve();
      },
    } as unknown as Transport;
    screenTransport(transport, (what) => reports.push(what));
    expect(() => transport.onMessage!(options())).not.toThrow();
    expect(seen).toHaveLength(1);
    transport.onMessage!(options((l) => [l[0]!.replace('SIP/2.0', 'SIP/7.0'), ...l.slice(1)]));
    expect(seen).toHaveLength(1);
    expect(sent[0]).toMatch(/^SIP\/2\.0 505 /);
    expect(reports).toEqual(['SIP message dropped: the SIP stack failed on it', 'SIP request refused: version (505)']);
  });

  it('hands sip.js the message it has parsed, so each message is parsed once', () => {
    const verdict = screenSipMessage(options());
    if (verdict.kind !== 'pass' || !verdict.message) throw new Error('expected a parsed pass');
    expect(verdict.message).toBeInstanceOf(Core.IncomingRequestMessage);
    expect(verdict.message.callId).toBe('unit-1');
    const seen: unknown[] = [];
    const transport = { onMessage: (m: unknown) => void seen.push(m), send: () => Promise.resolve() } as unknown as Transport;
    screenTransport(transport);
    transport.onMessage!(options());
    transport.onMessage!('\r\n\r\n');
    expect(seen[0]).toBeInstanceOf(Core.IncomingRequestMessage);
    expect(seen[1]).toBe('\r\n\r\n');
  });

  it('the patched UserAgent answers a message handed over parsed as it answers the raw text', async () => {
    const sent: string[] = [];
    class LoopTransport {
      static last: LoopTransport | undefined;
      state = TransportState.Disconnected;
      stateChange = new EmitterImpl<TransportState>();
      onConnect?: () => void;
      onDisconnect?: (e?: Error) => void;
      onMessage?: (m: string) => void;
      constructor() {
        LoopTransport.last = this;
      }
      connect(): Promise<void> {
        this.state = TransportState.Connected;
        this.stateChange.emit(this.state);
        this.onConnect?.();
        return Promise.resolve();
      }
      disconnect(): Promise<void> {
        this.state = TransportState.Disconnected;
        this.stateChange.emit(this.state);
        return Promise.resolve();
      }
      dispose(): Promise<void> {
        return Promise.resolve();
      }
      isConnected(): boolean {
        return this.state === TransportState.Connected;
      }
      send(m: string): Promise<void> {
        sent.push(m);
        return Promise.resolve();
      }
    }
    const ua = new UserAgent({ uri: UserAgent.makeURI('sip:desk@kotozute.test'), transportConstructor: LoopTransport as never, logBuiltinEnabled: false, logLevel: 'error' });
    await ua.start();
    const transport = LoopTransport.last!;
    screenTransport(transport as unknown as Transport);
    transport.onMessage!(options());
    transport.onMessage!(options((l) => l.map((x) => x.replace('unit-1', 'unit-2').replace('z9hG4bK-unit', 'z9hG4bK-unit2'))));
    await ua.stop();
    expect(sent.filter((m) => m.startsWith('SIP/2.0 200'))).toHaveLength(2);
  });
});

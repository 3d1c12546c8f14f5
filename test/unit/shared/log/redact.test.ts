import { describe, expect, it } from 'vitest';
import { redactLogFields, redactLogText } from '../../../../shared/log/redact.js';

/** Canaries: what must never survive, each in the shapes it reaches a log in. */
const CASES: Array<[string, string, RegExp[]]> = [
  ['a phone number, any separators', 'callback to 090-1234-5678 or +81 (3) 1234 5678 or 0312345678', [/1234/, /5678/, /0312345678/]],
  ['a name in Japanese', '発信者 鏑木カナリア太郎 から', [/鏑木/, /カナリア/]],
  ['a quoted Latin name', 'display name "Zqcanary Taro" rejected', [/Zqcanary/]],
  ['a SIP request line', 'INVITE sip:0312345678@pbx.example.jp SIP/2.0', [/0312345678/, /pbx/]],
  ['a SIP header', 'From: "Yamada" <sip:alice@pbx.example.jp>;tag=8f3k2a9d1', [/Yamada/, /alice/, /8f3k2a9d1/]],
  ['a SIP message with its body', 'MESSAGE sip:desk@pbx SIP/2.0\r\nContent-Type: text/plain\r\n\r\nbody-canary-77xq 伝言本文', [/body-canary/, /伝言/, /desk@/]],
  ['a URL with credentials', 'POST https://user:hunter2@hooks.example.com/services/T000/B000/XXXX?token=abc failed', [/hunter2/, /hooks/, /T000/, /token=abc/]],
  ['a WebSocket URL', 'Connecting wss://pbx.example.jp:8089/ws', [/pbx/, /8089/]],
  ['a bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', [/eyJ/]],
  ['key=value secrets', 'smtp login failed password=correcthorse token: s3cr3tvalue api_key=plainwords', [/correcthorse/, /s3cr3tvalue/, /plainwords/]],
  ['a long base64 key', 'key material QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo= rejected', [/QUJDREVG/]],
  ['a hex signature', 'bad signature deadbeefdeadbeefdeadbeefdeadbeef', [/deadbeef/]],
  ['an e-mail address', 'bounce from taro.yamada@example.co.jp', [/taro/, /yamada/]],
  ['a Call-ID', 'Dialog 3848276298220188511@127.0.0.1a8f3k2 constructed', [/3848276298220188511/]],
  ['a tel URI', 'routing tel:+81-3-1234-5678;phone-context=x', [/1234/]],
];

describe('the one log redactor', () => {
  it.each(CASES)('removes %s', (_what, input, leaks) => {
    const out = redactLogText(input);
    for (const leak of leaks) expect(out, input).not.toMatch(leak);
  });

  it('keeps the gist: event words, status codes, short counts', () => {
    expect(redactLogText('Failed to register, status code 403')).toBe('Failed to register, status code 403');
    expect(redactLogText('outbox retry 3 of 10 after 429')).toBe('outbox retry 3 of 10 after 429');
    expect(redactLogText('SessionDescriptionHandler.setDescription')).toBe('SessionDescriptionHandler.setDescription');
  });

  it('keeps only the first line and caps the length', () => {
    expect(redactLogText('first\nINVITE sip:x@y SIP/2.0')).toBe('first');
    expect(redactLogText('word '.repeat(500)).length).toBeLessThanOrEqual(201);
    expect(redactLogText('word '.repeat(500), 40).length).toBeLessThanOrEqual(41);
  });

  it('drops fields whose names say what they hold, and redacts every other string', () => {
    const out = redactLogFields({
      callerName: 'Zqcanary',
      number: '0312345678',
      body: 'hello',
      method: 'saveNote',
      message: 'connect to wss://user:pw@pbx.example.jp failed for 090-1111-2222',
      count: 3,
      big: 9012345678,
      ok: true,
    });
    expect(out).toMatchObject({ callerName: '<redacted>', number: '<redacted>', body: '<redacted>', method: 'saveNote', count: 3, big: '#', ok: true });
    expect(String(out.message)).not.toMatch(/pw|pbx|1111/);
  });

  it('bounds the number of fields and cleans field names', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, i]));
    expect(Object.keys(redactLogFields(many))).toHaveLength(24);
    expect(Object.keys(redactLogFields({ '山田 090-1234-5678': 1 }))).toEqual(['field']);
  });
});

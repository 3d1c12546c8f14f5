/**
 * The SIP torture suite: the messages of RFC 4475 §3.1–3.4 and RFC 5118 §4, written for a desk (the
 * Request-URI names the desk where the test is about what happens after "is it for me?"), each with
 * the answer the RFC expects from a user agent. Shared by the Node run and the browser run, which
 * both drive them through {@link runTortureCase} against test/support/hostile-sip-server.ts.
 *
 * Where an RFC allows a choice, the desk's choice is written here once:
 * - a desk is not a registrar: a well-formed REGISTER gets 405 (with Allow);
 * - a request without an RFC 3261 branch (none, or the bare magic cookie) gets 400: sip.js matches
 *   transactions by branch alone (no RFC 2543 fallback), and every RFC 7118 client sends one
 *   (RFC 4475 §3.2.1 allows the 400; §3.4.1 asks only elements that keep RFC 2543 compatibility);
 * - an unknown method gets 501 before anything else about it is judged (RFC 3261 §8.2.1, and
 *   RFC 4475 §3.1.2.18 prefers 501 to 400);
 * - an INVITE body the desk cannot read (multipart, unknown type) gets 415 with Accept.
 */
import { readHeaders, type DeskResponse, type HostileSipServer } from './hostile-sip-server.js';

/** Who the messages are sent to. */
export interface TortureTarget {
  user: string;
  domain: string;
}

export interface TortureCase {
  /** The RFC's name for the message (e.g. `wsinv`). */
  id: string;
  source: string;
  /** The answer expected; `none` for responses nobody asked for (dropped without a word). */
  expect: readonly number[] | 'none';
  /** Headers the answer must carry (lower-case name → pattern). */
  expectHeaders?: Record<string, RegExp>;
  build(t: TortureTarget): string;
}

const CRLF = '\r\n';

/** Joins header lines and body; `{len}` becomes the body's length in bytes. */
function sip(lines: readonly string[], body = ''): string {
  const len = String(Buffer.byteLength(body, 'utf8'));
  return lines.map((l) => l.replaceAll('{len}', len)).join(CRLF) + CRLF + CRLF + body;
}

const SDP = ['v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.3', 's=-', 'c=IN IP4 192.0.2.3', 't=0 0', 'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', ''].join(CRLF);

/** The usual headers of a request from `id`, for messages that only vary one thing. */
function plain(id: string, method: string, uri: string, extra: readonly string[] = [], body = '', cseqMethod = method): string {
  return sip(
    [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/WSS host.example.invalid;branch=z9hG4bK-${id}`,
      'Max-Forwards: 70',
      `From: <sip:caller@example.net>;tag=${id}-from`,
      `To: <${uri.startsWith('sip') ? uri : 'sip:desk@example.com'}>`,
      `Call-ID: ${id}.torture@example.net`,
      `CSeq: 1 ${cseqMethod}`,
      'Contact: <sip:caller@host.example.invalid;transport=ws>',
      ...extra,
      ...(body ? ['Content-Type: application/sdp'] : []),
      'Content-Length: {len}',
    ],
    body,
  );
}

const me = (t: TortureTarget): string => `sip:${t.user}@${t.domain}`;

export const TORTURE_CASES: readonly TortureCase[] = [
  // ---- RFC 4475 §3.1.1 valid messages ------------------------------------------------------
  {
    id: 'wsinv',
    source: 'RFC 4475 §3.1.1.1',
    // Valid, but its To carries a tag: a re-INVITE for a dialog the desk does not have.
    expect: [481],
    build: (t) =>
      sip(
        [
          `INVITE ${me(t)};unknownparam SIP/2.0`,
          'TO :',
          ` ${me(t)} ;   tag    = 1918181833n`,
          'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
          '  ;',
          '  tag = 98asjd8',
          'MaX-fOrWaRdS: 0068',
          'Call-ID: wsinv.ndaksdj@192.0.2.1',
          'Content-Length   : {len}',
          'cseq: 0009',
          '  INVITE',
          'Via  : SIP  /   2.0',
          ' /UDP',
          '    192.0.2.2;branch=390skdjuw',
          's :',
          'NewFangledHeader:   newfangled value',
          ' continued newfangled value',
          'UnknownHeaderWithUnusualValue: ;;,,;;,;',
          'Content-Type: application/sdp',
          'Route:',
          ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
          'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
          '  branch  =   z9hG4bK9ikj8  ,',
          ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
          ' z9hG4bK30239',
          'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
          '      newvalue ;',
          '  secondparam ; q = 0.33',
        ],
        ['v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.3', 's=-', 'c=IN IP4 192.0.2.4', 't=0 0', 'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', ''].join(CRLF),
      ),
  },
  {
    id: 'intmeth',
    source: 'RFC 4475 §3.1.1.2',
    expect: [501],
    build: () =>
      sip([
        "!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0",
        'Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`\'~',
        'To: "BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
        'From: token1~` token2\'+_ token3*%!.- <sip:mundane@example.com>;fromParam\'\'~+*_!.-%="\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439";tag=_token~1\'+`*%!-.',
        'Call-ID: intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
        "CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~",
        'Max-Forwards: 255',
        'extensionHeader-!.%*+_`\'~:\ufeff\u5927\u505c\u96fb',
        'Content-Length: 0',
      ]),
  },
  {
    id: 'esc01',
    source: 'RFC 4475 §3.1.1.3',
    // Valid; the escaped user is someone else, so the desk says it is not them.
    expect: [404],
    build: () =>
      sip(
        [
          'INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0',
          'To: sip:%75se%72@example.com',
          'From: <sip:I%20have%20spaces@example.net>;tag=938',
          'Max-Forwards: 87',
          'i: esc01.239409asdfakjkn23onasd0-3234',
          'CSeq: 234234 INVITE',
          'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
          'C: application/sdp',
          'Contact:',
          '  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
          'Content-Length: {len}',
        ],
        ['v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', ''].join(CRLF),
      ),
  },
  {
    id: 'escnull',
    source: 'RFC 4475 §3.1.1.4',
    expect: [405],
    expectHeaders: { allow: /INVITE/ },
    build: () =>
      sip([
        'REGISTER sip:example.com SIP/2.0',
        'To: sip:null-%00-null@example.com',
        'From: sip:null-%00-null@example.com;tag=839923423',
        'Max-Forwards: 70',
        'Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
        'CSeq: 14398234 REGISTER',
        'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
        'Contact: <sip:%00@host5.example.com>',
        'Contact: <sip:%00%00@host5.example.com>',
        'L:0',
      ]),
  },
  {
    id: 'esc02',
    source: 'RFC 4475 §3.1.1.5',
    expect: [501],
    build: () =>
      sip([
        'RE%47IST%45R sip:registrar.example.com SIP/2.0',
        'To: "%Z%45" <sip:resource@example.com>',
        'From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23',
        'Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
        'Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234',
        'CSeq: 29344 RE%47IST%45R',
        'Max-Forwards: 70',
        'Contact: <sip:alias1@host1.example.com>',
        'C%6Fntact: <sip:alias2@host2.example.com>',
        'Contact: <sip:alias3@host3.example.com>',
        'l: 0',
      ]),
  },
  {
    id: 'lwsdisp',
    source: 'RFC 4475 §3.1.1.6',
    expect: [200],
    build: (t) =>
      sip([
        `OPTIONS ${me(t)} SIP/2.0`,
        `To: ${me(t)}`,
        'From: caller<sip:caller@example.com>;tag=323',
        'Max-Forwards: 70',
        'Call-ID: lwsdisp.1234abcd@funky.example.com',
        'CSeq: 60 OPTIONS',
        'Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw',
        'l: 0',
      ]),
  },
  {
    id: 'longreq',
    source: 'RFC 4475 §3.1.1.7',
    // Valid and for the desk: it rings (and is cancelled by the runner).
    expect: [180],
    build: (t) => {
      const long = 'longvalue'.repeat(60);
      const name = 'very'.repeat(50);
      return sip(
        [
          `INVITE ${me(t)} SIP/2.0`,
          `To: "I have a user name of ${'extreme '.repeat(30)}proportion" <${me(t)};unknownparam1=very${name}longvalue;longparam${name}name=shortvalue;very${name}longParameterNameWithNoValue>`,
          `F: sip:amazinglylongcallername${'x'.repeat(300)}@example.net;tag=12${'9'.repeat(200)}3456;unknownheaderparam${'z'.repeat(200)}name=unknowheaderparam${'v'.repeat(200)}value;unknownValueless${'w'.repeat(200)}paramname`,
          `Call-ID: longreq.one${'r'.repeat(300)}eallylongcallid`,
          'CSeq: 3882340 INVITE',
          `Unknown-${'L'.repeat(100)}-Header: unknown-${long}-value; unknown-${'p'.repeat(100)}-parameter-name = unknown-${'v'.repeat(100)}-parameter-value`,
          'Via: SIP/2.0/TCP sip33.example.com;branch=z9hG4bK-longreq',
          'v: SIP/2.0/TCP sip32.example.com',
          ...Array.from({ length: 20 }, (_, i) => `V: SIP/2.0/TCP sip${31 - i}.example.com`),
          'Max-Forwards: 70',
          `Contact: <sip:amazinglylongcallername${'x'.repeat(300)}@host5.example.net>`,
          'Content-Type: application/sdp',
          'l: {len}',
        ],
        ['v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', ''].join(CRLF),
      );
    },
  },
  {
    id: 'dblreq',
    source: 'RFC 4475 §3.1.1.8',
    // The REGISTER is answered; the INVITE after its end is discarded (one answer only).
    expect: [405],
    build: () =>
      sip([
        'REGISTER sip:example.com SIP/2.0',
        'To: sip:j.user@example.com',
        'From: sip:j.user@example.com;tag=43251j3j324',
        'Max-Forwards: 8',
        'I: dblreq.0ha0isndaksdj99sdfafnl3lk233412',
        'Contact: sip:j.user@host.example.com',
        'CSeq: 8 REGISTER',
        'Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492',
        'Content-Length: 0',
      ]) +
      plain('dblreq-trailing', 'INVITE', 'sip:joe@example.com'),
  },
  {
    id: 'semiuri',
    source: 'RFC 4475 §3.1.1.9',
    expect: [404],
    build: () =>
      sip([
        'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
        'To: sip:j_user@example.com',
        'From: sip:caller@example.org;tag=33242',
        'Max-Forwards: 3',
        'Call-ID: semiuri.0ha0isndaksdj',
        'CSeq: 8 OPTIONS',
        'Accept: application/sdp, application/pkcs7-mime,',
        '        multipart/mixed, multipart/signed,',
        '        message/sip, message/sipfrag',
        'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw',
        'l: 0',
      ]),
  },
  {
    id: 'transports',
    source: 'RFC 4475 §3.1.1.10',
    expect: [200],
    build: (t) =>
      sip([
        `OPTIONS ${me(t)} SIP/2.0`,
        `To: ${me(t)}`,
        'From: <sip:caller@example.com>;tag=323',
        'Max-Forwards: 70',
        'Call-ID:  transports.kijh4akdnaqjkwendsasfdj',
        'Accept: application/sdp',
        'CSeq: 60 OPTIONS',
        'Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw',
        'Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf',
        'Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj',
        'Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
        'Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee',
        'l: 0',
      ]),
  },
  {
    id: 'mpart01',
    source: 'RFC 4475 §3.1.1.11',
    expect: [415],
    expectHeaders: { accept: /application\/sdp/ },
    build: (t) => {
      const body = [
        '--boundary42',
        'Content-Type: application/sdp',
        '',
        'v=0',
        'o=alice 2890844526 2890844526 IN IP4 192.0.2.1',
        's=-',
        'c=IN IP4 192.0.2.1',
        't=0 0',
        'm=audio 49172 RTP/AVP 0',
        'a=rtpmap:0 PCMU/8000',
        '',
        '--boundary42',
        'Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7s',
        'Content-Transfer-Encoding: binary',
        'Content-Disposition: attachment; handling=required; filename=smime.p7s',
        '',
        '\u0030\u0082\u0001\u0052',
        '--boundary42--',
        '',
      ].join(CRLF);
      return sip(
        [
          `INVITE ${me(t)} SIP/2.0`,
          `To: <${me(t)}>`,
          'From: "Caller" <sip:caller@example.net>;tag=a48s',
          'Max-Forwards: 70',
          'Call-ID: mpart01.a84b4c76e66710',
          'CSeq: 314159 INVITE',
          'Via: SIP/2.0/UDP 192.0.2.11;branch=z9hG4bK-mpart01',
          'Contact: <sip:caller@192.0.2.11>',
          'Content-Type: multipart/mixed;boundary=boundary42',
          'Content-Length: {len}',
        ],
        body,
      );
    },
  },
  {
    id: 'unreason',
    source: 'RFC 4475 §3.1.1.12',
    expect: 'none',
    build: () =>
      sip([
        'SIP/2.0 200 = 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u0442\u044c - \u043f\u0440\u043e\u0441\u0442\u043e\u0435',
        'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
        'Call-ID: unreason.1234ksdfak3j2erwedfsASdf',
        'CSeq: 35 INVITE',
        'From: sip:user@example.com;tag=11141343',
        'To: sip:user@example.edu;tag=2229',
        'Content-Type: application/sdp',
        'Contact: <sip:user@host198.example.com>',
        'Content-Length: {len}',
      ], ['v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.198', 's=-', 'c=IN IP4 192.0.2.198', 't=0 0', 'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', ''].join(CRLF)),
  },
  {
    id: 'noreason',
    source: 'RFC 4475 §3.1.1.13',
    expect: 'none',
    build: () =>
      sip([
        'SIP/2.0 100 ',
        'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
        'Call-ID: noreason.asndj203insdf99223ndf',
        'CSeq: 35 INVITE',
        'From: <sip:user@example.com>;tag=39ansfi3',
        'To: <sip:user@example.edu>;tag=902jndnke3',
        'Content-Length: 0',
        'Contact: <sip:user@host105.example.com>',
      ]),
  },
  // ---- RFC 4475 §3.1.2 invalid messages -------------------------------------------------
  {
    id: 'badinv01',
    source: 'RFC 4475 §3.1.2.1',
    expect: [400],
    build: (t) =>
      sip(
        [
          `INVITE ${me(t)} SIP/2.0`,
          'To: sip:j.user@example.com',
          'From: sip:caller@example.net;tag=134161461246',
          'Max-Forwards: 7',
          'Call-ID: badinv01.0ha0isndaksdjasdf3234nas',
          'CSeq: 8 INVITE',
          'Via: SIP/2.0/UDP 192.0.2.15;;,;,,',
          'Contact: "Joe" <sip:joe@example.org>;;;;',
          'Content-Length: {len}',
          'Content-Type: application/sdp',
        ],
        ['v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.15', 's=-', 'c=IN IP4 192.0.2.15', 't=0 0', 'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC', ''].join(CRLF),
      ),
  },
  {
    id: 'clerr',
    source: 'RFC 4475 §3.1.2.2',
    expect: [400],
    build: (t) => plain('clerr', 'INVITE', me(t), [], SDP).replace(/Content-Length: \d+/, 'Content-Length: 9999'),
  },
  {
    id: 'scalar02',
    source: 'RFC 4475 §3.1.2.3',
    expect: [400],
    build: () => plain('scalar02', 'REGISTER', 'sip:example.com', [], SDP).replace(/Content-Length: \d+/, 'Content-Length: -999'),
  },
  {
    id: 'scalarlg',
    source: 'RFC 4475 §3.1.2.4',
    expect: [400],
    build: () =>
      sip([
        'REGISTER sip:example.com SIP/2.0',
        'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3',
        'To: <sip:user@example.com>',
        'From: <sip:user@example.com>;tag=239232jh3',
        'CSeq: 36893488147419103232 REGISTER',
        'Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32',
        'Max-Forwards: 300',
        'Expires: 1000000000000000000000000000',
        'Contact: <sip:user@host129.example.com>',
        '  ;expires=280297596632815',
        'Content-Length: 0',
      ]),
  },
  {
    id: 'scalar1s',
    source: 'RFC 4475 §3.1.2.5',
    expect: 'none',
    build: () =>
      sip([
        'SIP/2.0 503 Service Unavailable',
        'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129',
        'To: <sip:user@example.com>',
        'From: <sip:other@example.net>;tag=2easdjfejw',
        'CSeq: 9292394834772304023312 OPTIONS',
        'Call-ID: scalar1s.JK234JK324ASDFJK',
        'Retry-After: 949302838503028349304023988',
        'Warning: 1812 overture "In Progress"',
        'Content-Length: 0',
      ]),
  },
  {
    id: 'quotbal',
    source: 'RFC 4475 §3.1.2.6',
    expect: [400],
    build: (t) => plain('quotbal', 'INVITE', me(t), [], SDP).replace(/^To: .*$/m, `To: "Mr. J. User <${me(t)}>`),
  },
  {
    id: 'ltgtruri',
    source: 'RFC 4475 §3.1.2.7',
    expect: [400],
    build: (t) => plain('ltgtruri', 'INVITE', me(t), [], SDP).replace(/^INVITE \S+/, `INVITE <${me(t)}>`),
  },
  {
    id: 'lwsruri',
    source: 'RFC 4475 §3.1.2.8',
    expect: [400],
    build: (t) => plain('lwsruri', 'INVITE', me(t), [], SDP).replace(/^INVITE \S+/, `INVITE ${me(t)}; lr`),
  },
  {
    id: 'lwsstart',
    source: 'RFC 4475 §3.1.2.9',
    expect: [400],
    build: (t) => plain('lwsstart', 'INVITE', me(t), [], SDP).replace(/^INVITE (\S+) SIP\/2\.0/, 'INVITE  $1  SIP/2.0'),
  },
  {
    id: 'trws',
    source: 'RFC 4475 §3.1.2.10',
    expect: [400],
    build: (t) => plain('trws', 'OPTIONS', me(t)).replace(/^(OPTIONS \S+ SIP\/2\.0)/, '$1  '),
  },
  {
    id: 'escruri',
    source: 'RFC 4475 §3.1.2.11',
    expect: [400],
    build: (t) => plain('escruri', 'INVITE', `${me(t)}?Route=%3Csip:example.com%3E`, [], SDP),
  },
  {
    id: 'baddate',
    source: 'RFC 4475 §3.1.2.12',
    expect: [400],
    build: (t) => plain('baddate', 'INVITE', me(t), ['Date: Fri, 01 Jan 2010 16:00:00 EST'], SDP),
  },
  {
    id: 'regbadct',
    source: 'RFC 4475 §3.1.2.13',
    expect: [400],
    build: () => plain('regbadct', 'REGISTER', 'sip:example.com').replace(/^Contact: .*$/m, 'Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E'),
  },
  {
    id: 'badaspec',
    source: 'RFC 4475 §3.1.2.14',
    expect: [400],
    build: (t) => plain('badaspec', 'OPTIONS', me(t)).replace(/^To: .*$/m, `To: "Watson, Thomas" < ${me(t)} >`),
  },
  {
    id: 'baddn',
    source: 'RFC 4475 §3.1.2.15',
    expect: [400],
    build: (t) => plain('baddn', 'OPTIONS', me(t)).replace(/^From: .*$/m, 'From: Bell, Alexander <sip:a.g.bell@example.com>;tag=43'),
  },
  {
    id: 'badvers',
    source: 'RFC 4475 §3.1.2.16',
    expect: [505],
    build: (t) => plain('badvers', 'OPTIONS', me(t)).replace(/^(OPTIONS \S+) SIP\/2\.0/, '$1 SIP/7.0'),
  },
  {
    id: 'mismatch01',
    source: 'RFC 4475 §3.1.2.17',
    expect: [400],
    build: (t) => plain('mismatch01', 'OPTIONS', me(t), [], '', 'INVITE'),
  },
  {
    id: 'mismatch02',
    source: 'RFC 4475 §3.1.2.18',
    expect: [501],
    build: (t) => plain('mismatch02', 'NEWMETHOD', me(t), [], '', 'INVITE'),
  },
  {
    id: 'bigcode',
    source: 'RFC 4475 §3.1.2.19',
    expect: 'none',
    build: () =>
      sip([
        'SIP/2.0 4294967301 better not break the receiver',
        'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
        'Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i',
        'CSeq: 353494 INVITE',
        'From: <sip:user@example.com>;tag=39ansfi3',
        'To: <sip:user@example.edu>;tag=902jndnke3',
        'Content-Length: 0',
        'Contact: <sip:user@host105.example.com>',
      ]),
  },
  // ---- RFC 4475 §3.2 transaction layer -------------------------------------------------
  {
    id: 'badbranch',
    source: 'RFC 4475 §3.2.1',
    expect: [400],
    build: (t) => plain('badbranch', 'OPTIONS', me(t)).replace(/branch=z9hG4bK-badbranch/, 'branch=z9hG4bK'),
  },
  // ---- RFC 4475 §3.3 application layer -------------------------------------------------
  {
    id: 'insuf',
    source: 'RFC 4475 §3.3.1',
    expect: [400],
    build: (t) =>
      sip(
        [`INVITE ${me(t)} SIP/2.0`, 'CSeq: 193942 INVITE', 'Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf', 'Content-Type: application/sdp', 'l: {len}'],
        SDP,
      ),
  },
  {
    id: 'unkscm',
    source: 'RFC 4475 §3.3.2',
    expect: [416],
    build: () => plain('unkscm', 'OPTIONS', 'nobodyKnowsThisScheme:totallyopaquecontent'),
  },
  {
    id: 'novelsc',
    source: 'RFC 4475 §3.3.3',
    expect: [416],
    build: () => plain('novelsc', 'OPTIONS', 'soap.beep://192.0.2.103:3002'),
  },
  {
    id: 'unksm2',
    source: 'RFC 4475 §3.3.4',
    // A registrar would refuse the isbn: To with 400; the desk is no registrar (405). Either is right.
    expect: [400, 405],
    build: () => plain('unksm2', 'REGISTER', 'sip:example.com').replace(/^To: .*$/m, 'To: isbn:2983792873').replace(/^From: .*$/m, 'From: <http://www.example.com>;tag=3234233'),
  },
  {
    id: 'bext01',
    source: 'RFC 4475 §3.3.5',
    expect: [420],
    expectHeaders: { unsupported: /nothingSupportsThis.*nothingSupportsThisEither|nothingSupportsThisEither.*nothingSupportsThis/ },
    build: (t) =>
      plain('bext01', 'OPTIONS', me(t), [
        'Require: nothingSupportsThis, nothingSupportsThisEither',
        'Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis',
      ]),
  },
  {
    id: 'invut',
    source: 'RFC 4475 §3.3.6',
    expect: [415],
    expectHeaders: { accept: /application\/sdp/ },
    build: (t) =>
      plain('invut', 'INVITE', me(t), ['Accept: application/sdp'], '<audio> <pcmu port="443"/> </audio>').replace('Content-Type: application/sdp', 'Content-Type: application/unknownformat'),
  },
  {
    id: 'regaut01',
    source: 'RFC 4475 §3.3.7',
    expect: [405],
    build: () => plain('regaut01', 'REGISTER', 'sip:example.com', ['Authorization: NoOneKnowsThisScheme opaque-data=here']),
  },
  {
    id: 'multi01',
    source: 'RFC 4475 §3.3.8',
    expect: [400],
    build: (t) =>
      plain('multi01', 'INVITE', me(t), [
        'Max-Forwards: 80',
        'To: sip:j_user@example.com',
        'Call-ID: multi01.98asdh@192.0.2.2',
        'CSeq: 59 INVITE',
        'From: sip:caller@example.com;tag=3413415',
      ], SDP),
  },
  {
    id: 'mcl01',
    source: 'RFC 4475 §3.3.9',
    expect: [400],
    build: (t) => plain('mcl01', 'OPTIONS', me(t), ['Content-Length: 0', 'Content-Length: 193', 'l: 0']).replace(/\r\nContent-Length: 0\r\n\r\n$/, '\r\n\r\n'),
  },
  {
    id: 'bcast',
    source: 'RFC 4475 §3.3.10',
    expect: 'none',
    build: () =>
      sip([
        'SIP/2.0 200 OK',
        'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
        'Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23',
        'Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf',
        'CSeq: 35 INVITE',
        'From: sip:user@example.com;tag=11141343',
        'To: sip:user@example.edu;tag=2229',
        'Content-Length: 0',
        'Contact: <sip:user@192.0.2.198>',
      ]),
  },
  {
    id: 'zeromf',
    source: 'RFC 4475 §3.3.11',
    // Max-Forwards 0 stops a proxy (483); a user agent it is addressed to answers.
    expect: [200],
    build: (t) => plain('zeromf', 'OPTIONS', me(t)).replace('Max-Forwards: 70', 'Max-Forwards: 0'),
  },
  {
    id: 'cparam01',
    source: 'RFC 4475 §3.3.12',
    expect: [405],
    build: () => plain('cparam01', 'REGISTER', 'sip:example.com', ['Content-Type: application/sdp;charset=ISO-8859-1;unknownParam=value']),
  },
  {
    id: 'cparam02',
    source: 'RFC 4475 §3.3.13',
    expect: [405],
    build: () => plain('cparam02', 'REGISTER', 'sip:example.com', ['Content-Type: multipart/mixed; boundary=foobarbaz; unknownParam=value']),
  },
  {
    id: 'regescrt',
    source: 'RFC 4475 §3.3.14',
    expect: [405],
    build: () =>
      plain('regescrt', 'REGISTER', 'sip:example.com').replace(
        /^Contact: .*$/m,
        'Contact: sip:user@host.example.com\r\nContact: <sip:user@host.example.com?Route=%3Csip:sip.example.com%3E>',
      ),
  },
  {
    id: 'sdp01',
    source: 'RFC 4475 §3.3.15',
    expect: [406],
    build: (t) => plain('sdp01', 'INVITE', me(t), ['Accept: text/nobodyknowsthis'], SDP),
  },
  // ---- RFC 4475 §3.4 backward compatibility ---------------------------------------------
  {
    id: 'inv2543',
    source: 'RFC 4475 §3.4.1',
    expect: [400],
    build: (t) =>
      sip(
        [
          `INVITE ${me(t)} SIP/2.0`,
          'Via: SIP/2.0/UDP 192.0.2.15',
          'From: <sip:caller@example.net>',
          `To: <${me(t)}>`,
          'Call-ID: inv2543.1717@192.0.2.15',
          'CSeq: 1 INVITE',
          'Content-Type: application/sdp',
          'Content-Length: {len}',
        ],
        ['v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.5', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 49217 RTP/AVP 0', ''].join(CRLF),
      ),
  },
  // ---- RFC 5118 §4 IPv6 -----------------------------------------------------------------
  { id: 'ipv6-good', source: 'RFC 5118 §4.1', expect: [405], build: () => plain('ipv6-good', 'REGISTER', 'sip:[2001:db8::10]') },
  { id: 'ipv6-bad', source: 'RFC 5118 §4.2', expect: [400], build: () => plain('ipv6-bad', 'REGISTER', 'sip:2001:db8::10') },
  { id: 'port-ambiguous', source: 'RFC 5118 §4.3', expect: [405], build: () => plain('port-ambiguous', 'REGISTER', 'sip:[2001:db8::10:5070]') },
  { id: 'port-unambiguous', source: 'RFC 5118 §4.4', expect: [405], build: () => plain('port-unambiguous', 'REGISTER', 'sip:[2001:db8::10]:5070') },
  {
    id: 'via-received-param-with-delim',
    source: 'RFC 5118 §4.5',
    expect: [200],
    build: (t) => plain('via-received-with-delim', 'OPTIONS', me(t)).replace(/^(Via: .*)$/m, '$1;received=[2001:db8::9:255]'),
  },
  {
    id: 'via-received-param-no-delim',
    source: 'RFC 5118 §4.6',
    expect: [200],
    build: (t) => plain('via-received-no-delim', 'OPTIONS', me(t)).replace(/^(Via: .*)$/m, '$1;received=2001:db8::9:255'),
  },
  {
    id: 'ipv6-in-sdp',
    source: 'RFC 5118 §4.7',
    expect: [180],
    build: (t) => plain('ipv6-in-sdp', 'INVITE', me(t), [], ['v=0', 'o=assistant 971731711378798081 0 IN IP6 2001:db8::20', 's=Live video feed for today\'s meeting', 'c=IN IP6 2001:db8::20', 't=3338481189 3370017201', 'm=audio 6000 RTP/AVP 2', 'a=rtpmap:2 G726-32/8000', ''].join(CRLF)),
  },
  {
    id: 'ipv4-mapped-ipv6',
    source: 'RFC 5118 §4.8',
    expect: [180],
    build: (t) => plain('ipv4-mapped-ipv6', 'INVITE', me(t), [], ['v=0', 'o=bob 280744730 28977631 IN IP4 host.example.com', 's=', 't=0 0', 'm=audio 22334 RTP/AVP 0', 'c=IN IP6 ::ffff:192.0.2.2', ''].join(CRLF)),
  },
  {
    id: 'ipv6-correct-abnf-2-colons',
    source: 'RFC 5118 §4.9',
    expect: [200],
    build: (t) => plain('ipv6-2-colons', 'OPTIONS', `sip:${t.user}@[2001:db8::192.0.2.1]`),
  },
  {
    id: 'ipv6-incorrect-abnf-3-colons',
    source: 'RFC 5118 §4.9',
    expect: [400],
    build: (t) => plain('ipv6-3-colons', 'OPTIONS', `sip:${t.user}@[2001:db8:::192.0.2.1]`),
  },
  {
    id: 'mult-ip-in-header',
    source: 'RFC 5118 §4.10',
    // A BYE for no dialog of the desk's.
    expect: [481],
    build: (t) =>
      plain('mult-ip-in-header', 'BYE', me(t))
        .replace(/^(Via: .*)$/m, '$1\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKjhja8781hjuaij65144\r\nVia: SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;received=192.0.2.200')
        .replace(/^To: .*$/m, `To: <${me(t)}>;tag=8814`),
  },
  {
    id: 'mult-ip-in-sdp',
    source: 'RFC 5118 §4.11',
    expect: [180],
    build: (t) => plain('mult-ip-in-sdp', 'INVITE', me(t), [], ['v=0', 'o=bob 280744730 28977631 IN IP4 host.example.com', 's=', 't=0 0', 'c=IN IP4 192.0.2.1', 'm=audio 22334 RTP/AVP 0', 'c=IN IP6 2001:db8::1', ''].join(CRLF)),
  },
  // ---- found against sip.js 0.21.2 (issue 11): each threw an uncaught error in the page ---------
  { id: 'tel-uri', source: 'RFC 3261 §8.2.2.1', expect: [416], build: () => plain('tel-uri', 'OPTIONS', 'tel:+81312345678') },
  { id: 'urn-uri', source: 'RFC 3261 §8.2.2.1', expect: [416], build: () => plain('urn-uri', 'INVITE', 'urn:service:sos', [], SDP) },
  { id: 'prack-out-of-dialog', source: 'RFC 3262 §3', expect: [481], build: (t) => plain('prack-ood', 'PRACK', me(t), ['RAck: 1 1 INVITE']) },
  { id: 'cancel-unmatched', source: 'RFC 3261 §9.2', expect: [481], build: (t) => plain('cancel-unmatched', 'CANCEL', me(t)) },
];

/** What the desk answered to one case. */
export interface TortureOutcome {
  id: string;
  /** Statuses answered (100 Trying left out), in order; empty when nothing was answered. */
  statuses: number[];
  first: DeskResponse | undefined;
}

const TOP_VIA_BRANCH = /^(?:via|v)\s*:[^\r\n]*?;\s*branch\s*=\s*([^;,\s]+)/im;
const CALL_ID = /^(?:call-id|i)\s*:\s*(\S+)/im;

/**
 * Sends one case, waits for its answer (or proves there was none with a probe), cancels a call that
 * rang, and checks the desk still answers. Never throws for a wrong answer: the caller compares.
 */
export async function runTortureCase(server: HostileSipServer, c: TortureCase, target: TortureTarget): Promise<TortureOutcome> {
  const raw = c.build(target);
  const head = raw.split('\r\n\r\n', 1)[0]!;
  const callId = CALL_ID.exec(head)?.[1] ?? '';
  const branch = TOP_VIA_BRANCH.exec(head)?.[1] ?? '';
  const mine = (r: DeskResponse): boolean => (callId ? r.callId === callId : r.branch === branch);
  const before = server.responses.length;
  server.send(raw);
  if (c.expect !== 'none') {
    await server.response((r) => server.responses.indexOf(r) >= before && mine(r) && r.status !== 100, `an answer to ${c.id}`).catch(() => undefined);
  }
  const ringing = server.responses.slice(before).find((r) => mine(r) && r.status === 180);
  if (ringing) {
    // Cancel the call the case made ring: 200 for the CANCEL, 487 for the INVITE, then ACK.
    const cseq = /^cseq\s*:\s*(\d+)/im.exec(head)?.[1] ?? '1';
    const headers = readHeaders(head);
    const one = (name: string): string => headers.find(([n]) => n === name)?.[1] ?? '';
    const uri = head.split('\r\n', 1)[0]!.split(' ')[1]!;
    const common = [`Via: ${one('via')}`, 'Max-Forwards: 70', `From: ${one('from')}`, `Call-ID: ${one('call-id')}`];
    server.send([`CANCEL ${uri} SIP/2.0`, ...common, `To: ${one('to')}`, `CSeq: ${cseq} CANCEL`, 'Content-Length: 0', '', ''].join(CRLF));
    const terminated = await server.response((r) => mine(r) && r.status === 487, `487 for ${c.id}`);
    const to = terminated.headers.find(([n]) => n === 'to')?.[1] ?? '';
    server.send([`ACK ${uri} SIP/2.0`, ...common, `To: ${to}`, `CSeq: ${cseq} ACK`, 'Content-Length: 0', '', ''].join(CRLF));
  }
  await server.probe(`sip:${target.user}@${target.domain}`);
  const answers = server.responses.slice(before).filter((r) => mine(r) && r.status !== 100 && !(ringing && r.cseqMethod === 'CANCEL'));
  return { id: c.id, statuses: answers.map((r) => r.status), first: answers[0] };
}

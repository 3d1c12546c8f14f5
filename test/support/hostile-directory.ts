/**
 * A directory that is valid per the schema but whose every free-text field is an attack: script
 * tags, event-handler images, RTL overrides, `javascript:` links, raw HTML blocks and `**` nesting
 * abuse. The desk must show all of it as inert text (or sanitised markup) and run none of it.
 *
 * Tests look for HOSTILE_MARKER as visible plain text (it is in every free-text field, including
 * client names, so it shows up on the pop) and check that `window.__pwned` stays undefined.
 */
import type { DirectoryInput, StaffStatus } from '../../shared/directory/schema.js';

/** Visible as literal text wherever the desk renders a field as text; never executed. */
export const HOSTILE_MARKER = '<script>window.__pwned=1</script>';
export const HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">';
/** RIGHT-TO-LEFT OVERRIDE: flips the text after it, the classic "harmless.txt" disguise. */
export const RTL_OVERRIDE = '\u202E';
export const HOSTILE_LINK = '[x](javascript:window.__pwned=1)';
export const BOLD_ABUSE = '**a **b **c** d** e** ****x**** **unclosed';

/** Every hostile fragment, for tests that check each is rendered as text. */
export const HOSTILE_STRINGS: readonly string[] = [HOSTILE_MARKER, HOSTILE_IMG, RTL_OVERRIDE, HOSTILE_LINK, BOLD_ABUSE];

/** The hostile clients' numbers: dial one of these to pop a hostile client. */
export const HOSTILE_DIDS = { ja: '03-9999-0001', en: '03-9999-0002' } as const;

/**
 * Transfer targets are never displayed; these markers let a test assert they never reach the screen
 * (or the renderer at all).
 */
export const HIDDEN_TRANSFER_MARKER = 'HIDDEN-TRANSFER-TARGET';

const STATUSES: readonly StaffStatus[] = ['in', 'away', 'meeting', 'out', 'holiday', 'off'];

/** One short hostile line (≤ 200 characters, the schema's bound for names and titles). */
function line(label: string): string {
  return `${label} ${HOSTILE_MARKER} ${HOSTILE_IMG} ${RTL_OVERRIDE}gnp.exe ${HOSTILE_LINK} **${label}**`;
}

/** A hostile Markdown body: raw HTML blocks, dangerous links and images, emphasis abuse. */
function markdown(label: string): string {
  return [
    `${label}: ${HOSTILE_MARKER}`,
    '',
    '<div onclick="window.__pwned=1" style="position:fixed;inset:0">',
    `<iframe src="javascript:window.__pwned=1"></iframe>${HOSTILE_IMG}`,
    '</div>',
    '',
    '<style>body { display: none }</style>',
    '',
    `- ${HOSTILE_LINK} and ![x](javascript:window.__pwned=1)`,
    `- <javascript:window.__pwned=1> ${RTL_OVERRIDE}txt.exe`,
    `- [data](data:text/html,<script>window.__pwned=1</script>)`,
    '',
    `1. ${BOLD_ABUSE}`,
    `2. **<b onmouseover="window.__pwned=1">${label}</b>**`,
    '',
    '<svg><script>window.__pwned=1</script></svg>',
    '',
    `&lt;script&gt;window.__pwned=1&lt;/script&gt; ${'**'.repeat(50)}${label}${'**'.repeat(50)}`,
  ].join('\n');
}

function hostileClient(id: string, language: 'ja' | 'en', did: string, ext: number): DirectoryInput['clients'][number] {
  const l = (what: string) => line(`${id}/${what}`);
  return {
    id,
    name: l('name'),
    kana: l('kana'),
    language,
    sensitive: true,
    dids: [did],
    businessHours: {
      timezone: 'Asia/Tokyo',
      days: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, open: '00:00', close: '23:59' })),
    },
    greeting: {
      default: l('greeting'),
      variants: [
        { when: { hours: 'closed' }, text: l('greeting-closed') },
        { when: { from: '00:00', to: '12:00' }, text: l('greeting-morning') },
        { when: { from: '12:00' }, text: l('greeting-afternoon') },
      ],
    },
    script: [
      { title: l('script-1'), body: markdown(`${id}/script-1`) },
      { title: l('script-2'), body: markdown(`${id}/script-2`) },
    ],
    answers: Array.from({ length: 8 }, (_, i) => ({
      // Ids are free strings too: a renderer that puts them into attributes must escape them.
      id: `a${i}"><img src=x onerror=window.__pwned=1>`,
      topic: l(`answer-${i}`),
      keywords: {
        ja: [HOSTILE_MARKER, HOSTILE_IMG, `${RTL_OVERRIDE}へんぴん`, HOSTILE_LINK, `${BOLD_ABUSE} 返品${i}`],
        en: [HOSTILE_MARKER, HOSTILE_IMG, `${RTL_OVERRIDE}return`, HOSTILE_LINK, `${BOLD_ABUSE} refund${i}`],
      },
      wording: markdown(`${id}/answer-${i}`),
    })),
    neverDisclose: [
      { item: l('never-1'), instead: l('instead-1') },
      { item: l('never-2'), instead: markdown(`${id}/instead-2`).slice(0, 1_000) },
    ],
    statusPhrases: Object.fromEntries(STATUSES.map((s) => [s, l(`status-${s}`)])) as Record<StaffStatus, string>,
    staff: STATUSES.map((status, i) => ({
      id: `s${i}"><script>window.__pwned=1</script>`,
      name: l(`staff-${i}`),
      kana: l(`staff-kana-${i}`),
      department: l(`department-${i}`),
      status,
      // Half have their own phrase, half fall back to the client's statusPhrases.
      ...(i % 2 === 0 ? { publicPhrase: l(`public-phrase-${i}`) } : {}),
      ...(i < 3 ? { transferTarget: `sip:${HIDDEN_TRANSFER_MARKER}-${ext + i}@pbx.example.invalid` } : {}),
    })),
    messageForm: {
      fields: [
        { id: 'callerName', kind: 'callerName', label: l('form-name'), required: true },
        { id: 'callerKana', kind: 'callerKana', label: l('form-kana') },
        { id: 'company', kind: 'company', label: l('form-company') },
        { id: 'callbackNumber', kind: 'callbackNumber', label: l('form-callback'), required: true },
        { id: 'subject', kind: 'subject', label: l('form-subject') },
        { id: 'urgency', kind: 'urgency', label: l('form-urgency'), options: [l('urgency-normal'), l('urgency-urgent')] },
        { id: 'kind', kind: 'select', label: l('form-select'), options: [HOSTILE_MARKER, HOSTILE_IMG, l('option')] },
        { id: 'note', kind: 'text', label: l('form-text') },
        { id: 'freeText', kind: 'freeText', label: l('form-free-text') },
      ],
    },
    handOff: {
      channels: [
        { kind: 'email', id: 'mail', to: [`${id}@hostile.example`], smtpSecret: `${id}.smtp` },
        { kind: 'webhook', id: 'hook', url: `https://hooks.example.invalid/${id}`, signingSecret: `${id}.webhook` },
      ],
    },
    retention: { maxHours: 24 },
  };
}

/** A fresh hostile directory: two clients (Japanese and English), DIDs 03-9999-0001 and 03-9999-0002. */
export function hostileDirectory(): DirectoryInput {
  return {
    format: 'kotozute-directory',
    version: 1,
    publishedAt: '2026-11-27T09:00:00+09:00',
    publisher: line('publisher'),
    clients: [
      hostileClient('hostile-ja', 'ja', HOSTILE_DIDS.ja, 9001),
      hostileClient('hostile-en', 'en', HOSTILE_DIDS.en, 9101),
    ],
  };
}

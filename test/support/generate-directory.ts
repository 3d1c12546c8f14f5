/**
 * A deterministic generator of realistic directories for tests and benchmarks: the same options
 * always give the same JSON, so a benchmark figure or a failing test can be reproduced exactly.
 *
 * Sizes are chosen so that the benchmark directory (5,000 clients × 3 DIDs × 30 answers)
 * stays well inside the 50 MB bundle limit once base64-encoded.
 */
import type { ClientInput, DirectoryInput } from '../../shared/directory/schema.js';

export interface GenerateOptions {
  clients: number;
  didsPerClient?: number;
  answersPerClient?: number;
  /** Changes the pseudo-random choices (names, statuses); the structure stays the same. */
  seed?: number;
}

/** mulberry32: tiny, fast and good enough to vary test data reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;

const COMPANY_STEMS = ['佐藤', '鈴木', '高橋', '田中', '渡辺', '伊藤', '山本', '中村', '小林', '加藤', 'さくら', 'あおば', 'ひかり', 'みなと'];
const COMPANY_KANA = ['サトウ', 'スズキ', 'タカハシ', 'タナカ', 'ワタナベ', 'イトウ', 'ヤマモト', 'ナカムラ', 'コバヤシ', 'カトウ', 'サクラ', 'アオバ', 'ヒカリ', 'ミナト'];
const KINDS = [
  { ja: '法律事務所', kana: 'ホウリツジムショ', sensitive: true },
  { ja: '通販', kana: 'ツウハン', sensitive: false },
  { ja: 'クリニック', kana: 'クリニック', sensitive: true },
  { ja: 'システムズ', kana: 'システムズ', sensitive: false },
  { ja: '不動産', kana: 'フドウサン', sensitive: false },
  { ja: '工務店', kana: 'コウムテン', sensitive: false },
];
const BRANCHES = ['', '本店', '渋谷', '新宿', '横浜', '大阪', '名古屋', '福岡', '札幌', '仙台'];

/** Allowed-answer templates: short, the way approved first-line answers are actually written. */
const ANSWERS: readonly { topic: string; ja: string[]; en: string[]; wording: string }[] = [
  { topic: '営業時間', ja: ['営業時間', '何時まで'], en: ['hours', 'open'], wording: '平日9時から18時まででございます。' },
  { topic: '定休日', ja: ['休み', '定休日'], en: ['holiday'], wording: '土日祝日はお休みをいただいております。' },
  { topic: '所在地', ja: ['住所', '場所'], en: ['address'], wording: '所在地はホームページに掲載しております。' },
  { topic: '駐車場', ja: ['駐車場', '車'], en: ['parking'], wording: '近隣のコインパーキングをご利用ください。' },
  { topic: '返品', ja: ['返品', 'ヘンピン'], en: ['return'], wording: '到着後8日以内でしたら返品を承ります。' },
  { topic: '送料', ja: ['送料'], en: ['shipping'], wording: '5,000円以上のご注文で送料無料です。' },
  { topic: '配送状況', ja: ['配送', '届かない'], en: ['delivery'], wording: '担当より配送状況を折り返しご連絡します。' },
  { topic: '予約変更', ja: ['予約', '変更'], en: ['booking'], wording: '予約の変更は担当より折り返しいたします。' },
  { topic: '初回相談', ja: ['相談', '無料'], en: ['consultation'], wording: '初回30分のご相談は無料でございます。' },
  { topic: '費用', ja: ['費用', '料金'], en: ['fee', 'price'], wording: '費用は担当より改めてご説明いたします。' },
  { topic: '請求書', ja: ['請求書', '領収書'], en: ['invoice'], wording: '請求書の再発行は担当が承ります。' },
  { topic: '支払方法', ja: ['支払い', 'カード'], en: ['payment'], wording: 'お振込とクレジットカードがご利用いただけます。' },
  { topic: '採用', ja: ['採用', '求人'], en: ['recruit'], wording: '採用のお問い合わせはホームページからどうぞ。' },
  { topic: '営業電話', ja: ['営業', 'セールス'], en: ['sales'], wording: '恐れ入りますが、お取次ぎいたしかねます。' },
  { topic: '障害', ja: ['障害', 'つながらない'], en: ['outage'], wording: '技術担当より至急折り返しいたします。' },
  { topic: '内見', ja: ['内見', '見学'], en: ['viewing'], wording: '内見のご予約は担当より折り返しいたします。' },
  { topic: '診療時間', ja: ['診療', '受付'], en: ['clinic hours'], wording: '受付は診療終了の30分前までです。' },
  { topic: '担当者不在', ja: ['不在', '担当'], en: ['absent'], wording: '戻り次第、折り返しご連絡いたします。' },
];

const STAFF = [
  ['佐藤 一郎', 'サトウ イチロウ'],
  ['鈴木 花子', 'スズキ ハナコ'],
  ['高橋 健', 'タカハシ ケン'],
  ['田中 美咲', 'タナカ ミサキ'],
] as const;
const STATUSES = ['in', 'away', 'meeting', 'out', 'holiday', 'off'] as const;

/**
 * Three number families so every DID is unique by construction: 03 (Tokyo), 06 (Osaka) and 050
 * (IP phones). Some are written in E.164 to exercise normalisation.
 */
export function didOf(client: number, index: number): string {
  // client * 100 + index is unique for up to 100 DIDs per client (the schema's maximum).
  const n = String(client * 100 + index).padStart(8, '0');
  const local = `${n.slice(0, 4)}-${n.slice(4)}`;
  if (index % 3 === 0) return `03-${local}`;
  if (index % 3 === 1) return `+816${n}`;
  return `050-${local}`;
}

function answersFor(rnd: () => number, count: number, clientNo: number): ClientInput['answers'] {
  const out: ClientInput['answers'] = [];
  for (let i = 0; i < count; i++) {
    const t = ANSWERS[i % ANSWERS.length]!;
    const round = Math.floor(i / ANSWERS.length);
    const branch = round === 0 ? '' : (BRANCHES[round % BRANCHES.length] ?? '') + (round >= BRANCHES.length ? String(round) : '');
    out.push({
      id: `a${i}`,
      topic: branch ? `${t.topic}（${branch}）` : t.topic,
      keywords: { ja: branch ? [...t.ja, branch] : [...t.ja], en: [...t.en] },
      wording: rnd() < 0.5 ? t.wording : `${t.wording}（${clientNo}）`,
    });
  }
  return out;
}

/** One client; `answers` defaults to 30. */
export function generateClient(i: number, o: { dids?: number; answers?: number; seed?: number } = {}): ClientInput {
  const rnd = prng((o.seed ?? 1) * 1_000_003 + i);
  const stem = i % COMPANY_STEMS.length;
  const kind = KINDS[i % KINDS.length]!;
  const name = `${COMPANY_STEMS[stem]}${kind.ja}${i}`;
  const dids = Array.from({ length: o.dids ?? 3 }, (_, j) => didOf(i, j));
  return {
    id: `client-${i}`,
    name,
    kana: `${COMPANY_KANA[stem]}${kind.kana}`,
    language: i % 17 === 16 ? 'en' : 'ja',
    sensitive: kind.sensitive,
    dids,
    businessHours: {
      timezone: 'Asia/Tokyo',
      days: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open: '09:00', close: '18:00' })),
      closedDates: ['2026-01-01', '2026-01-02'],
    },
    greeting: {
      default: `お電話ありがとうございます。${name}でございます。`,
      variants: [{ when: { hours: 'closed' }, text: `お電話ありがとうございます。${name}、本日の受付は終了しております。` }],
    },
    script: [{ title: '応対', body: '1. 社名を名乗る\n2. 用件と**折り返し先**を伺う' }],
    answers: answersFor(rnd, o.answers ?? 30, i),
    neverDisclose: [{ item: '担当者の携帯番号・直通番号', instead: '折り返しをご提案する' }],
    statusPhrases: {
      in: 'ただいまお繋ぎいたします。',
      away: 'ただいま席を外しております。',
      meeting: 'ただいま会議中でございます。',
      out: '本日は外出しております。',
      holiday: '本日は終日不在にしております。',
      off: '本日は不在にしております。',
    },
    staff: STAFF.slice(0, 2 + (i % 3)).map(([n, k], s) => ({
      id: `s${s}`,
      name: n,
      kana: k,
      department: s === 0 ? '代表' : '営業部',
      status: pick(rnd, STATUSES),
      ...(s === 0 ? { transferTarget: `sip:${1000 + s}@pbx.example` } : {}),
    })),
    messageForm: {
      fields: [
        { id: 'name', kind: 'callerName', label: 'お名前', required: true },
        { id: 'callback', kind: 'callbackNumber', label: '折り返し先', required: true },
        { id: 'memo', kind: 'freeText', label: 'ご用件' },
      ],
    },
    handOff: { channels: [{ kind: 'email', id: 'mail', to: [`desk${i}@example.jp`], smtpSecret: 'smtp-main' }] },
    retention: { maxHours: 72 },
  };
}

/** A whole directory; client i gets DIDs didOf(i, 0..didsPerClient-1). */
export function generateDirectory(o: GenerateOptions): DirectoryInput {
  return {
    format: 'kotozute-directory',
    version: 1,
    publishedAt: '2026-04-01T09:00:00+09:00',
    publisher: 'Generated test directory',
    clients: Array.from({ length: o.clients }, (_, i) =>
      generateClient(i, { dids: o.didsPerClient ?? 3, answers: o.answersPerClient ?? 30, seed: o.seed ?? 1 }),
    ),
  };
}

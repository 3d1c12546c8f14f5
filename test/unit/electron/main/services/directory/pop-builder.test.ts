import { describe, expect, it } from 'vitest';
import { buildPop } from '../../../../../../electron/main/services/directory/pop-builder.js';
import { Pop } from '../../../../../../shared/directory/pop.js';
import { Client } from '../../../../../../shared/directory/schema.js';
import { generateClient } from '../../../../../support/generate-directory.js';

const client = Client.parse({
  ...generateClient(2),
  staff: [
    { id: 'boss', name: '高橋 健', kana: 'タカハシ ケン', department: '代表', status: 'holiday', transferTarget: 'sip:+819012345678@pbx.example' },
    { id: 'sales', name: '鈴木 花子', kana: 'スズキ ハナコ', department: '営業部', status: 'out', publicPhrase: '本日は15時に戻る予定です。' },
  ],
  handOff: {
    channels: [
      { kind: 'email', id: 'mail', to: ['office@example.jp'], smtpSecret: 'smtp-secret-name' },
      { kind: 'webhook', id: 'hook', url: 'https://hooks.example.jp/x', signingSecret: 'hook-secret-name' },
    ],
  },
});
const at = new Date('2026-04-01T10:00:00+09:00');
const caller = { name: '山田 太郎', number: '090-1111-2222' };

describe('pop for a ringing call', () => {
  it('never carries a transfer target or hand-off configuration to the screen', () => {
    const pop = buildPop({ client, did: '03-0000-0200', caller, callId: 'c1', training: false, at });
    const serialised = JSON.stringify(pop);
    for (const hidden of ['transferTarget', '+819012345678', '09012345678', 'handOff', 'smtp-secret-name', 'hook-secret-name', 'hooks.example.jp', 'office@example.jp', 'retention', 'statusPhrases']) {
      expect(serialised).not.toContain(hidden);
    }
  });

  it('shows staff with their public phrase and whether a transfer can be offered', () => {
    const pop = buildPop({ client, did: '03-0000-0200', caller, callId: 'c1', training: false, at });
    expect(pop.client?.staff).toEqual([
      { id: 'boss', name: '高橋 健', kana: 'タカハシ ケン', department: '代表', status: 'holiday', publicPhrase: '本日は終日不在にしております。', transferable: true },
      { id: 'sales', name: '鈴木 花子', kana: 'スズキ ハナコ', department: '営業部', status: 'out', publicPhrase: '本日は15時に戻る予定です。', transferable: false },
    ]);
  });

  it('matches the Pop schema the renderer validates against', () => {
    const pop = buildPop({ client, did: '+81 3 0000 0200', caller, callId: 'c1', training: true, at });
    expect(Pop.parse(pop)).toEqual(pop);
    expect(pop.did).toBe('+81300000200');
    expect(pop.receivedAt).toBe('2026-04-01T01:00:00.000Z');
    expect(pop.open).toBe(true);
    expect(pop.greeting).toBe(client.greeting.default);
    expect(pop.client?.answers).toHaveLength(30);
  });

  it('reads the closed-hours greeting outside business hours', () => {
    const pop = buildPop({ client, did: '03-0000-0200', caller, callId: 'c2', training: false, at: new Date('2026-04-01T21:00:00+09:00') });
    expect(pop.open).toBe(false);
    expect(pop.greeting).toContain('本日の受付は終了しております');
  });

  it('pops an unknown number with no client, no greeting and closed, leaving the generic script to the screen', () => {
    const pop = buildPop({ client: undefined, did: 'sip:0399998888@pbx', caller, callId: 'c3', training: false, at });
    expect(pop).toMatchObject({ client: null, greeting: '', open: false, did: '+81399998888', callId: 'c3' });
    expect(Pop.parse(pop)).toEqual(pop);
  });
});

import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { IdleLock } from '../../../../renderer/src/floor/idle-lock.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ lng: 'ja', resources: { ja: { translation: ja }, en: { translation: en } }, interpolation: { escapeValue: false } });
});

const refuse = async () => ({ ok: false as const, reason: 'wrong-secret' as const, triesLeft: 4 });
const desk = <p className="caller">発信者 山田 090-1111-2222</p>;

function render(o: { locked: boolean; ringing?: boolean; person?: boolean }): string {
  return renderToStaticMarkup(
    <IdleLock
      minutes={10}
      person={o.person === false ? null : { name: '田中 花子', secretKind: 'pin' }}
      unlock={refuse}
      calls={{ ringing: o.ringing ?? false, inCall: false }}
      events={null}
      onError={() => undefined}
      initiallyLocked={o.locked}
    >
      {desk}
    </IdleLock>,
  );
}

describe('the idle lock', () => {
  it('shows the desk as it is while unlocked', () => {
    const html = render({ locked: false });
    expect(html).toContain('発信者 山田');
    expect(html).not.toMatch(/<div[^>]*hidden/);
    expect(html).not.toContain('ロック中');
  });

  it('keeps the desk mounted but hidden and inert while locked, and asks the signed-in person for their PIN', () => {
    const html = render({ locked: true });
    expect(html).toMatch(/<div class="idle-lock-content" hidden="" inert="">/);
    expect(html).toContain('ロック中');
    expect(html).toContain('田中 花子 さんのPINを入力するとロックを解除します。');
    expect(html).toContain('type="password"');
    expect(html).not.toContain('再開する');
  });

  it('says a call rings only when one does, with no caller data on the lock screen', () => {
    const lockScreen = (html: string) => html.slice(html.indexOf('<main'));
    const ringing = lockScreen(render({ locked: true, ringing: true }));
    expect(ringing).toContain('着信があります。ロックを解除して応答してください。');
    expect(ringing).not.toContain('山田');
    expect(lockScreen(render({ locked: true }))).not.toContain('着信があります');
  });

  it('offers one click to resume on a desk without a roster, and no secret field', () => {
    const html = render({ locked: true, person: false });
    expect(html).toContain('再開する');
    expect(html).not.toContain('type="password"');
  });
});

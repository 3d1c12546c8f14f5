import i18next from 'i18next';
import { createRef } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pop } from '../../../../shared/directory/pop.js';
import type { AnswerPanelHandle } from '../../../../renderer/src/desk/answer-panel.js';
import { CallStrip } from '../../../../renderer/src/desk/call-strip.js';
import { PopView } from '../../../../renderer/src/desk/pop-view.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';

const EVIL = '<script>alert(1)</script><img src=x onerror=alert(1)>\u202Egnp.exe';

function hostilePop(): Pop {
  return {
    callId: 'c1',
    training: true,
    did: `+8131234${EVIL}`,
    caller: { name: EVIL, number: EVIL },
    receivedAt: '2025-01-01T00:00:00Z',
    greeting: EVIL,
    open: true,
    client: {
      id: 'evil',
      name: EVIL,
      kana: EVIL,
      language: 'ja',
      sensitive: true,
      script: [{ title: EVIL, body: `${EVIL}\n\n- ${EVIL}\n\n[x](javascript:alert(1))` }],
      answers: [{ id: 'a1', topic: EVIL, keywords: { ja: [EVIL], en: [EVIL] }, wording: EVIL }],
      neverDisclose: [{ item: EVIL, instead: EVIL }],
      staff: [
        { id: 's1', name: EVIL, kana: EVIL, department: EVIL, status: 'holiday', publicPhrase: EVIL, transferable: true },
      ],
      messageForm: { fields: [] },
    },
  };
}

function render(pop: Pop): string {
  const handle = createRef<AnswerPanelHandle>();
  const noop = () => undefined;
  return renderToStaticMarkup(
    <>
      <CallStrip
        state={{ phase: 'ringing', pop }}
        canSimulate
        onSimulate={noop}
        onAnswer={noop}
        onDecline={noop}
        onEnd={noop}
        primaryRef={createRef()}
      />
      <PopView pop={pop} answersHandle={handle} />
    </>,
  );
}

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: 'ja',
    interpolation: { escapeValue: false },
  });
});

describe('the pop with hostile directory and caller text', () => {
  it('creates no script, image, link, frame or style element and no event handler', () => {
    const markup = render(hostilePop());
    expect(markup).not.toMatch(/<(script|img|a|iframe|svg|style|object|embed)[\s>]/i);
    expect(markup).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(markup).not.toMatch(/<[^>]*\shref=/i);
  });

  it('shows every hostile string as escaped text', () => {
    const markup = render(hostilePop());
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;\u202Egnp.exe';
    // caller name, caller number, client name, greeting, script, answer, never-disclose, staff…
    expect(markup.split(escaped).length - 1).toBeGreaterThanOrEqual(12);
  });

  it('isolates inline directory and caller text with <bdi> so an RTL override cannot reorder the UI', () => {
    const markup = render(hostilePop());
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;\u202Egnp.exe';
    expect(markup).toContain(`<bdi class="client-name">${escaped}</bdi>`);
    expect(markup).toContain(`<bdi class="caller-name">${escaped}</bdi>`);
    expect(markup).toContain(`<bdi class="staff-name">${escaped}</bdi>`);
  });

  it('never shows a staff transfer target, only the public phrase', () => {
    const pop = hostilePop();
    const withTarget = { ...pop.client!.staff[0]!, transferTarget: 'sip:+819099999999@pbx' };
    pop.client!.staff = [withTarget];
    expect(render(pop)).not.toContain('9099999999');
  });

  it('warns about an unknown number and shows the generic script', () => {
    const markup = render({ ...hostilePop(), client: null });
    expect(markup).toContain('role="alert"');
    expect(markup).toContain(ja.unknown.warning);
    expect(markup).toContain(ja.unknown.greeting);
    expect(markup).toContain(ja.unknown.scriptTitle);
    expect(markup).toContain(ja.call.unknownNumber);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import {
  notePageLine,
  pageReaches,
  reloadIntoLineSettings,
  resetPageLine,
  takeLineSettingsMarker,
} from '../../../../renderer/src/pairing/page-line.js';

beforeEach(() => resetPageLine());

function page(hash = '') {
  const events: string[] = [];
  const location = { hash, pathname: '/index.html', search: '', reload: () => events.push('reload') };
  const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => events.push(`address ${url}`) };
  return { location, history, events };
}

describe("the line server this page's CSP lets it reach", () => {
  it('is the one paired when the page loaded: the same origin needs no reload, another one does', () => {
    notePageLine('wss://pbx.example.jp:7443/ws');
    expect(pageReaches('wss://pbx.example.jp:7443/other-path')).toBe(true);
    expect(pageReaches('wss://pbx.example.jp/ws')).toBe(false);
    expect(pageReaches('wss://other.example.jp:7443/ws')).toBe(false);
  });

  it('is none on a page loaded unpaired (training), whatever is paired later', () => {
    notePageLine(null);
    notePageLine('wss://pbx.example.jp/ws');
    expect(pageReaches('wss://pbx.example.jp/ws')).toBe(false);
  });

  it('is taken as none while the page has not read its line yet', () => {
    expect(pageReaches('ws://127.0.0.1:5066')).toBe(false);
  });
});

describe('the reload into Settings › Line', () => {
  it('reloads with a marker the new page reads once and removes', () => {
    const before = page();
    reloadIntoLineSettings(before.location, before.history);
    expect(before.events).toEqual(['address /index.html#line-settings', 'reload']);

    const after = page('#line-settings');
    expect(takeLineSettingsMarker(after.location, after.history)).toBe(true);
    expect(after.events).toEqual(['address /index.html']);
    expect(takeLineSettingsMarker(page('').location, page('').history)).toBe(false);
    expect(takeLineSettingsMarker(page('#recovered').location, page('').history)).toBe(false);
  });
});

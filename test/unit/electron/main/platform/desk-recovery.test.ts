import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CRASH_WINDOW_MS,
  HUNG_LIMIT_MS,
  RECOVERED_URL,
  superviseDesk,
  type DeskFailure,
} from '../../../../../electron/main/platform/desk-recovery.js';
import { nullLogger } from '../../../../../electron/main/services/log.js';
import { RECOVERED_MARKER } from '../../../../../renderer/src/desk/recovery-notice.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

let clock: number;
let gaveUp: DeskFailure[];
let page: fake.FakeWebContents;

beforeEach(() => {
  fake.resetFake();
  clock = 1_000_000;
  gaveUp = [];
  page = new fake.BrowserWindow().webContents;
  superviseDesk(page as never, { log: nullLogger, giveUp: (why) => gaveUp.push(why), now: () => clock });
});
afterEach(() => vi.useRealTimers());

describe('the desk page after a crash', () => {
  it('is reloaded at the address that makes the page tell the operator', () => {
    page.crashRenderer('crashed');
    expect(page.loads).toEqual([RECOVERED_URL]);
    expect(RECOVERED_URL.endsWith(RECOVERED_MARKER)).toBe(true);
    expect(gaveUp).toEqual([]);
  });

  it('is not reloaded when it closed normally', () => {
    page.crashRenderer('clean-exit', 0);
    expect(page.loads).toEqual([]);
  });

  it('gives up on the third crash within a minute, and reloads no more', () => {
    page.crashRenderer('crashed');
    clock += 10_000;
    page.crashRenderer('oom');
    clock += 10_000;
    page.crashRenderer('crashed');
    expect(gaveUp).toEqual(['crash-loop']);
    expect(page.loads).toHaveLength(2);
    page.crashRenderer('crashed');
    expect(gaveUp).toEqual(['crash-loop']);
  });

  it('keeps recovering crashes that are far apart', () => {
    for (let i = 0; i < 5; i++) {
      page.crashRenderer('crashed');
      clock += CRASH_WINDOW_MS / 2 + 1;
    }
    expect(gaveUp).toEqual([]);
    expect(page.loads).toHaveLength(5);
  });
});

describe('a hung desk page', () => {
  it('is crashed and reloaded when it stays unresponsive', () => {
    vi.useFakeTimers();
    page.emit('unresponsive');
    vi.advanceTimersByTime(HUNG_LIMIT_MS - 1);
    expect(page.loads).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(page.loads).toEqual([RECOVERED_URL]);
  });

  it('is left alone when it answers again in time', () => {
    vi.useFakeTimers();
    page.emit('unresponsive');
    vi.advanceTimersByTime(HUNG_LIMIT_MS / 2);
    page.emit('responsive');
    vi.advanceTimersByTime(HUNG_LIMIT_MS * 2);
    expect(page.loads).toEqual([]);
  });
});

describe('a desk page that does not load', () => {
  it('is tried once more, then given up so no windowless process keeps the lock', () => {
    page.failLoad(-6);
    expect(page.loads).toEqual(['app://kotozute/index.html']);
    expect(gaveUp).toEqual([]);
    page.failLoad(-6);
    expect(gaveUp).toEqual(['load-failed']);
    expect(page.loads).toHaveLength(1);
  });

  it('retries the page it was loading (the recovery notice kept), never another address', () => {
    page.crashRenderer();
    page.failLoad(-6, RECOVERED_URL);
    expect(page.loads).toEqual([RECOVERED_URL, RECOVERED_URL]);
    page.emit('did-finish-load');
    page.failLoad(-6, 'https://evil.example/');
    expect(page.loads.at(-1)).toBe('app://kotozute/index.html');
  });

  it('gets a fresh retry after a load that succeeded', () => {
    page.failLoad(-6);
    page.emit('did-finish-load');
    page.failLoad(-6);
    expect(gaveUp).toEqual([]);
  });

  it('ignores aborted loads and failures in subframes', () => {
    page.failLoad(-3);
    page.emit('did-fail-load', fake.fakeEvent(), -6, 'failed', 'app://kotozute/x', false);
    page.failLoad(-3);
    expect(page.loads).toEqual([]);
    expect(gaveUp).toEqual([]);
  });
});

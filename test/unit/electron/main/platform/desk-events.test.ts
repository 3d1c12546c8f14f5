/**
 * The main side of the event channel: an OS power event reaches the desk window's page on the one
 * event channel, with the contract's payload, and only a page of ours.
 */
import { BrowserWindow, type WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { forwardPowerEvents, sendDeskEvent } from '../../../../../electron/main/platform/desk-events.js';
import { nullLogger } from '../../../../../electron/main/services/log.js';
import { DESK_EVENT_CHANNEL, type DeskEvent } from '../../../../../shared/ipc/desk-events.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

beforeEach(() => fake.resetFake());

/** A desk window showing our page, as createMainWindow leaves it: the glue's view and the fake's. */
async function deskWindow(): Promise<{ page: WebContents; fake: fake.FakeWebContents }> {
  const win = new BrowserWindow({});
  const contents = fake.BrowserWindow.all.at(-1)!.webContents;
  await contents.loadURL('app://kotozute/index.html');
  return { page: win.webContents, fake: contents };
}

describe('forwarding power events to the page', () => {
  it("sends the OS's resume to the window's page on the event channel", async () => {
    const win = await deskWindow();
    forwardPowerEvents(() => win.page, nullLogger);
    fake.powerMonitor.emit('resume');
    expect(win.fake.sent).toEqual([{ channel: DESK_EVENT_CHANNEL, args: [{ type: 'power', event: 'resume' }] }]);
  });

  it('sends suspend and lock-screen too, in order', async () => {
    const win = await deskWindow();
    forwardPowerEvents(() => win.page, nullLogger);
    fake.powerMonitor.emit('suspend');
    fake.powerMonitor.emit('resume');
    fake.powerMonitor.emit('lock-screen');
    expect(win.fake.sent.map((m) => m.args[0])).toEqual([
      { type: 'power', event: 'suspend' },
      { type: 'power', event: 'resume' },
      { type: 'power', event: 'lock-screen' },
    ]);
  });

  it('turns the idle lock on in the main process at lock-screen and suspend, never at resume, and before the page hears it', async () => {
    const win = await deskWindow();
    const order: string[] = [];
    const lock = () => order.push(`lock after ${win.fake.sent.length} sent`);
    forwardPowerEvents(() => win.page, nullLogger, lock);
    fake.powerMonitor.emit('resume');
    fake.powerMonitor.emit('lock-screen');
    fake.powerMonitor.emit('suspend');
    expect(order).toEqual(['lock after 1 sent', 'lock after 2 sent']);
    expect(win.fake.sent).toHaveLength(3);
  });

  it('still tells the page when locking throws', async () => {
    const win = await deskWindow();
    forwardPowerEvents(() => win.page, nullLogger, () => {
      throw new Error('no store');
    });
    fake.powerMonitor.emit('lock-screen');
    expect(win.fake.sent.map((m) => m.args[0])).toEqual([{ type: 'power', event: 'lock-screen' }]);
  });

  it('sends nothing while there is no window, and nothing after it stops', async () => {
    let page: WebContents | null = null;
    const stop = forwardPowerEvents(() => page, nullLogger);
    expect(() => fake.powerMonitor.emit('resume')).not.toThrow();
    const win = await deskWindow();
    page = win.page;
    stop();
    fake.powerMonitor.emit('resume');
    expect(win.fake.sent).toEqual([]);
    expect(fake.powerMonitor.listenerCount('resume')).toBe(0);
  });
});

describe('sending one desk event', () => {
  const resume: DeskEvent = { type: 'power', event: 'resume' };

  it('does not send to a page that navigated away from the app, or is gone', async () => {
    const elsewhere = await deskWindow();
    await elsewhere.fake.loadURL('https://example.com/');
    expect(sendDeskEvent(elsewhere.page, resume, nullLogger)).toBe(false);
    const closed = await deskWindow();
    closed.fake.isDestroyed = () => true;
    expect(sendDeskEvent(closed.page, resume, nullLogger)).toBe(false);
    const ours = await deskWindow();
    expect(sendDeskEvent(ours.page, resume, nullLogger)).toBe(true);
    expect([...elsewhere.fake.sent, ...closed.fake.sent]).toEqual([]);
    expect(ours.fake.sent).toHaveLength(1);
  });

  it('refuses an event outside the contract instead of sending it', async () => {
    const win = await deskWindow();
    const bogus = { type: 'power', event: 'hibernate' } as unknown as DeskEvent;
    expect(sendDeskEvent(win.page, bogus, nullLogger)).toBe(false);
    expect(win.fake.sent).toEqual([]);
  });
});

/**
 * A test phone (support/caller-page) in its own browser context: the caller, or the staff member a
 * call is transferred to. Registered with a fresh user of the test Kamailio.
 */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Kamailio, SipUser } from '../../support/kamailio.js';
import type { Phone, PhoneSession } from './caller-page/phone.js';
import { TONE_LEVELS_JS } from './tone-levels.js';

export class PhonePage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly user: SipUser,
  ) {}

  static async open(browser: Browser, url: string, kam: Kamailio, o: { prefix: string; displayName: string; autoAnswer?: boolean }): Promise<PhonePage> {
    return PhonePage.openAs(browser, url, kam, await kam.newUser(o.prefix), o);
  }

  /** A phone registered as a given user (e.g. the one a directory's hidden transfer target names). */
  static async openAs(browser: Browser, url: string, kam: Kamailio, user: SipUser, o: { displayName: string; autoAnswer?: boolean }): Promise<PhonePage> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await expect(page.getByRole('status')).toHaveText('ready');
    await page.evaluate(
      (opts) => (window as unknown as { phone: Phone }).phone.start(opts),
      { wsUrl: kam.wsUrl, domain: kam.domain, user: user.user, password: user.password, displayName: o.displayName, autoAnswer: o.autoAnswer ?? false },
    );
    return new PhonePage(context, page, user);
  }

  /** Calls a user with whole extra header lines (e.g. a monitor request); returns the session id. */
  callWith(target: string, headers: string[]): Promise<string> {
    return this.page.evaluate(([t, h]) => (window as unknown as { phone: Phone }).phone.call(t as string, h as string[]), [target, headers] as const);
  }

  /** Sends a SIP INFO in a session; resolves with the final status. */
  info(id: string, contentType: string, body: string): Promise<number> {
    return this.page.evaluate(([i, c, b]) => (window as unknown as { phone: Phone }).phone.info(i, c, b), [id, contentType, body] as const);
  }

  /** dBFS of each frequency in what the session receives, averaged over `ms` (support/tone-levels.ts). */
  toneLevels(id: string, freqs: number[], ms = 1500): Promise<number[]> {
    // An expression, not a function: evaluated by the debugger, so no bundler helper and no eval in the page.
    const stream = `window.phone.received(${JSON.stringify(id)})`;
    return this.page.evaluate(`(${TONE_LEVELS_JS})(${stream} ? [${stream}] : [], ${JSON.stringify(freqs)}, ${ms})`);
  }

  /** Calls the desk's user with the dialled number in X-Called-Number; returns the session id. */
  call(target: string, did: string): Promise<string> {
    return this.page.evaluate(([t, d]) => (window as unknown as { phone: Phone }).phone.call(t!, [`X-Called-Number: ${d}`]), [target, did]);
  }

  sessions(): Promise<PhoneSession[]> {
    return this.page.evaluate(() => (window as unknown as { phone: Phone }).phone.sessions());
  }

  async session(id: string): Promise<PhoneSession | undefined> {
    return (await this.sessions()).find((s) => s.id === id);
  }

  /** Waits until the session reaches a state (sip.js SessionState name). */
  async waitState(id: string, state: string, timeout = 10_000): Promise<void> {
    await expect.poll(async () => (await this.session(id))?.state, { timeout }).toBe(state);
  }

  /** Cuts the session's media path without signalling it (see Phone.dropMedia). */
  dropMedia(id: string): Promise<void> {
    return this.page.evaluate((sid) => (window as unknown as { phone: Phone }).phone.dropMedia(sid), id);
  }

  hangup(id: string): Promise<void> {
    return this.page.evaluate((sid) => (window as unknown as { phone: Phone }).phone.hangup(sid), id);
  }

  rtp(id: string): Promise<{ received: number; sent: number }> {
    return this.page.evaluate((sid) => (window as unknown as { phone: Phone }).phone.rtp(sid), id);
  }

  /** Audio energy received on a session so far: rises only while sound arrives. */
  receivedEnergy(id: string): Promise<number> {
    return this.page.evaluate((sid) => (window as unknown as { phone: Phone }).phone.receivedEnergy(sid), id);
  }

  /** Starts detecting DTMF digits in the audio this phone receives on a session. */
  listenForDtmf(id: string): Promise<void> {
    return this.page.evaluate((sid) => (window as unknown as { phone: Phone }).phone.listenForDtmf(sid), id);
  }

  /** The digits heard on a session so far, and how many analysed frames had any sound at all. */
  dtmfHeard(id: string): Promise<{ digits: string; audibleFrames: number; frames: number; trace: string }> {
    return this.page.evaluate((sid) => (window as unknown as { phone: Phone }).phone.dtmfHeard(sid), id);
  }

  async close(): Promise<void> {
    await this.page.evaluate(() => (window as unknown as { phone: Phone }).phone.stop()).catch(() => undefined);
    await this.context.close();
  }
}

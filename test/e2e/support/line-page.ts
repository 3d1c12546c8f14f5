/**
 * Settings › 回線 / Line as an operator sees it, for the pairing end-to-end tests: every control found
 * by role and accessible name, in the desk's current language.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { STRINGS, type UiLocale } from './desk-page.js';
import { SCREENSHOTS } from './paths.js';

/** Settings › Line as an operator sees it, found by role and accessible name. */
export class LinePage {
  constructor(
    readonly page: Page,
    public locale: UiLocale = 'ja',
  ) {}

  get t() {
    return STRINGS[this.locale];
  }

  dialog(): Locator {
    return this.page.getByRole('dialog', { name: this.t.settings.title, exact: true });
  }

  indicator(): Locator {
    return this.page.getByRole('status', { name: this.t.pairing.indicator.label, exact: true });
  }

  outcome(): Locator {
    return this.dialog().getByRole('region', { name: this.t.pairing.section, exact: true }).getByRole('status');
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: this.t.topBar.settings, exact: true }).click();
    await expect(this.dialog()).toBeVisible();
  }

  async close(): Promise<void> {
    await this.dialog().getByRole('button', { name: this.t.settings.close, exact: true }).click();
    await expect(this.dialog()).toBeHidden();
  }

  async fill(o: { server: string; aor: string; user: string; password: string; displayName?: string }): Promise<void> {
    const d = this.dialog();
    await d.getByLabel(this.t.pairing.server, { exact: true }).fill(o.server);
    await d.getByLabel(this.t.pairing.aor, { exact: true }).fill(o.aor);
    await d.getByLabel(this.t.pairing.authUser, { exact: true }).fill(o.user);
    if (o.displayName !== undefined) await d.getByLabel(this.t.pairing.displayName, { exact: true }).fill(o.displayName);
    await d.getByLabel(this.t.pairing.password, { exact: true }).fill(o.password);
  }

  async connect(): Promise<void> {
    await this.dialog().getByRole('button', { name: this.t.pairing.connect, exact: true }).click();
  }

  async unpair(): Promise<void> {
    await this.dialog().getByRole('button', { name: this.t.pairing.disconnect, exact: true }).click();
    await expect(this.outcome()).toHaveText(this.t.pairing.unpaired);
  }

  async switchLanguage(to: UiLocale): Promise<void> {
    await this.dialog().getByRole('radio', { name: STRINGS[to].settings[to], exact: true }).click();
    this.locale = to;
    await expect(this.dialog().getByRole('radio', { name: STRINGS[to].settings[to], exact: true })).toBeChecked();
  }

  async snap(screen: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `pairing-${screen}-${this.locale}.png`), animations: 'disabled' });
  }
}

/**
 * The operator's view of the desk for tests: controls found by role and accessible name, using the
 * renderer's own strings (renderer/src/i18n), so a renamed label fails here the way it would confuse
 * a screen-reader user.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { en } from '../../../renderer/src/i18n/en.js';
import { ja, type Messages } from '../../../renderer/src/i18n/ja.js';
import { SCREENSHOTS } from './paths.js';

export type UiLocale = 'ja' | 'en';
export const STRINGS: Record<UiLocale, Messages> = { ja, en };

export interface SimulatedCaller {
  name: string;
  number: string;
}

export class DeskPage {
  constructor(
    readonly page: Page,
    public locale: UiLocale = 'ja',
  ) {}

  get t(): Messages {
    return STRINGS[this.locale];
  }

  simulateButton(): Locator {
    return this.page.getByRole('button', { name: this.t.idle.simulate, exact: true });
  }

  simulateDialog(): Locator {
    return this.page.getByRole('dialog', { name: this.t.simulate.title });
  }

  ringing(): Locator {
    return this.page.getByRole('alert').filter({ has: this.page.getByRole('button', { name: this.t.call.answer, exact: true }) });
  }

  inCall(): Locator {
    return this.page.getByRole('region', { name: this.t.call.inCall, exact: true });
  }

  idle(): Locator {
    return this.page.getByRole('region', { name: this.t.idle.heading, exact: true });
  }

  panel(title: string): Locator {
    // Panels are <section>s named by their heading; the answers heading also carries a count.
    return this.page.getByRole('region', { name: new RegExp(`^${escapeRegExp(title)}`) });
  }

  answerSearch(): Locator {
    return this.page.getByRole('searchbox', { name: this.t.pop.search, exact: true });
  }

  answerList(): Locator {
    return this.page.getByRole('listbox', { name: this.t.pop.results, exact: true });
  }

  pickedAnswer(): Locator {
    return this.page.getByRole('region', { name: new RegExp(`^${escapeRegExp(this.t.pop.picked)}`) });
  }

  /** Opens "simulate incoming call" and fills it in for a client chosen by (part of) its name. */
  async fillSimulateForClient(clientFilter: string, optionName: string | RegExp, caller: SimulatedCaller): Promise<Locator> {
    await this.simulateButton().click();
    const dialog = this.simulateDialog();
    await expect(dialog).toBeVisible();
    await dialog.getByRole('searchbox', { name: this.t.simulate.filter }).fill(clientFilter);
    const list = dialog.getByRole('listbox', { name: this.t.simulate.clients });
    await list.selectOption({ label: await list.getByRole('option', { name: optionName }).first().innerText() });
    await this.fillCaller(dialog, caller);
    return dialog;
  }

  /** Opens "simulate incoming call" and fills it in for a typed dialled number. */
  async fillSimulateForDid(did: string, caller: SimulatedCaller): Promise<Locator> {
    await this.simulateButton().click();
    const dialog = this.simulateDialog();
    await expect(dialog).toBeVisible();
    await dialog.getByRole('radio', { name: this.t.simulate.modeDid }).check();
    await dialog.getByRole('textbox', { name: this.t.simulate.did }).fill(did);
    await this.fillCaller(dialog, caller);
    return dialog;
  }

  private async fillCaller(dialog: Locator, caller: SimulatedCaller): Promise<void> {
    await dialog.getByRole('textbox', { name: this.t.simulate.callerName }).fill(caller.name);
    await dialog.getByRole('textbox', { name: this.t.simulate.callerNumber }).fill(caller.number);
  }

  async ring(dialog: Locator): Promise<void> {
    await dialog.getByRole('button', { name: this.t.simulate.ring, exact: true }).click();
    await expect(this.ringing()).toBeVisible();
  }

  async answer(): Promise<void> {
    await this.ringing().getByRole('button', { name: this.t.call.answer, exact: true }).click();
    await expect(this.inCall()).toBeVisible();
  }

  async end(): Promise<void> {
    await this.inCall().getByRole('button', { name: this.t.call.end, exact: true }).click();
    await expect(this.idle()).toBeVisible();
  }

  /** Switches the UI language through Settings and closes the dialog. */
  async switchLanguage(to: UiLocale): Promise<void> {
    await this.page.getByRole('button', { name: this.t.topBar.settings, exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: this.t.settings.title, exact: true });
    // A controlled radio: it shows as checked once the desk has saved the choice, not on the click.
    await dialog.getByRole('radio', { name: STRINGS[to].settings[to], exact: true }).click();
    this.locale = to;
    const renamed = this.page.getByRole('dialog', { name: this.t.settings.title, exact: true });
    await expect(renamed.getByRole('radio', { name: STRINGS[to].settings[to], exact: true })).toBeChecked();
    await renamed.getByRole('button', { name: this.t.settings.close, exact: true }).click();
    await expect(this.simulateButton()).toBeVisible();
  }

  /** Saves a full-page screenshot as test-results/screenshots/<locale>-<name>.png. */
  async snap(name: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    // Let fonts and the last frame settle so the picture is what an operator would see.
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${this.locale}-${name}.png`), fullPage: true, animations: 'disabled' });
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

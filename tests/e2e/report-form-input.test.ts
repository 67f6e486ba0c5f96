import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { allReports, createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

/** A new control on the phone must be a thumb's size. */
async function expectTouchTarget(locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  expect(box?.width ?? 0).toBeGreaterThanOrEqual(44);
  expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
}

describe.runIf(HAS_CHROMIUM)('typing a report on a 360×740 phone: distances and discarding', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  let answer = false;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-input', 'monitor');
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      geolocation: { longitude: 37.75, latitude: 48.14, accuracy: 8 },
      permissions: ['geolocation'],
    });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void (answer ? dialog.accept() : dialog.dismiss());
    });
    await signIn(page, server.url, 'monitor-input');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const newReport = async (): Promise<void> => {
    await page.locator('.mobile-nav').getByRole('button', { name: 'New report' }).tap();
    await page.getByRole('heading', { name: 'New report' }).waitFor();
  };

  it('takes distances in km or m, says what it stores, refuses what is not a distance, and stores metres', async () => {
    await newReport();
    await page.getByRole('radio', { name: 'Shelling' }).tap();
    await page.getByRole('radio', { name: 'From where I stand' }).tap();
    await page.getByTestId('gps-status').getByText('accuracy ±8 m').waitFor();
    await page.getByRole('textbox', { name: 'Bearing from' }).fill('120');
    await page.getByRole('radio', { name: 'Heard', exact: true }).tap();

    // Metres until the toggle says otherwise; the labels name the unit in force.
    const km = page.getByRole('radio', { name: 'km', exact: true });
    const m = page.getByRole('radio', { name: 'm', exact: true });
    expect(await m.isChecked()).toBe(true);
    await expectTouchTarget(page.locator('.distance-unit label', { has: km }));
    await expectTouchTarget(page.locator('.distance-unit label', { has: m }));
    await km.tap();
    const from = page.getByRole('textbox', { name: 'Distance from (km)' });
    const to = page.getByRole('textbox', { name: 'to (km)' });
    await from.fill('2,5');
    await to.fill('far');

    await page.getByRole('button', { name: 'Save and send' }).tap();
    await expect.poll(() => page.getByTestId('error-summary').textContent()).toBe('Not sent. Check this field: Distance.');
    // The box that is wrong gets the focus and the mark, and its message says what it takes.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('distance-max');
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await from.getAttribute('aria-invalid')).toBeNull();
    const described = await to.getAttribute('aria-describedby');
    expect(await page.locator(`#${described ?? 'none'}`).textContent()).toBe('Distance to: not a distance. Type a number, e.g. 2500, 2500 m or 2.5 km.');

    // A unit typed out wins over the toggle.
    await to.fill('4000 m');
    expect(await page.getByTestId('distance-readout').textContent()).toBe('= 2500–4000 m');
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Save and send' }).tap();
    await page.getByText('Sent — confirmed by the server').waitFor({ timeout: 10_000 });
    const [stored] = await allReports(server.url);
    expect(stored?.distanceM).toEqual({ min: 2500, max: 4000 });

    // The next report starts in the unit this monitor uses.
    await page.locator('.after-send').getByRole('button', { name: 'New report' }).tap();
    await page.getByRole('radio', { name: 'From where I stand' }).tap();
    expect(await page.getByRole('radio', { name: 'km', exact: true }).isChecked()).toBe(true);
  });

  it('"Discard draft" asks before throwing away what was entered, and closes the form when it does', async () => {
    await newReport();
    const discard = page.getByRole('button', { name: 'Discard draft' });
    await expectTouchTarget(discard);

    // Nothing entered yet (units are settings): it closes without asking.
    dialogs.length = 0;
    await discard.tap();
    await page.getByRole('heading', { name: 'New report' }).waitFor({ state: 'detached' });
    expect(dialogs).toEqual([]);

    await newReport();
    await page.getByRole('radio', { name: 'Explosion' }).tap();
    await page.getByLabel('Description').fill('Two impacts near the school');
    answer = false;
    await discard.tap();
    expect(dialogs).toEqual(['Discard this draft? What you entered will be lost.']);
    // Said no: the draft is there as it was.
    expect(await page.getByRole('radio', { name: 'Explosion' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Description').inputValue()).toBe('Two impacts near the school');

    answer = true;
    await discard.tap();
    await page.getByRole('heading', { name: 'New report' }).waitFor({ state: 'detached' });
    expect(dialogs).toHaveLength(2);
    // Gone, also after a reload (the draft is kept in localStorage while it lives).
    await page.reload();
    await page.getByTestId('connection').waitFor();
    await newReport();
    expect(await page.getByRole('radio', { name: 'Explosion' }).isChecked()).toBe(false);
    expect(await page.getByLabel('Description').inputValue()).toBe('');
  });
});

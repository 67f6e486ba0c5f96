import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, waitOnline } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { allReports, createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
const PHONE = { width: 360, height: 740 };
/** Where the monitor stands (the emulated GPS fix). */
const HERE = { longitude: 37.75, latitude: 48.14, accuracy: 8 };

/** A box wholly inside the phone's screen: what the monitor sees without scrolling. */
async function expectInView(locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, 'element is rendered').not.toBeNull();
  if (!box) return;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
}

/** The focused element, described by what the assertions need. */
function focused(page: Page): Promise<{ name: string | null; value: string | null; group: { invalid: string | null; describedBy: string | null } | null }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    const group = el?.closest('[role="radiogroup"]');
    return {
      name: el?.getAttribute('name') ?? null,
      value: el?.value ?? null,
      group: group ? { invalid: group.getAttribute('aria-invalid'), describedBy: group.getAttribute('aria-describedby') } : null,
    };
  });
}

describe.runIf(HAS_CHROMIUM)('what a monitor sees after Save and send, on a 360×740 phone', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-send', 'monitor');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function phone(options: { clockAheadMs?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      geolocation: HERE,
      permissions: ['geolocation'],
    });
    if (options.clockAheadMs) {
      // A phone whose clock runs fast: its own checks pass, the server's clock refuses the time.
      await context.addInitScript(`{
        const ahead = ${options.clockAheadMs};
        const RealDate = Date;
        class AheadDate extends RealDate {
          constructor(...args) { super(...(args.length === 0 ? [RealDate.now() + ahead] : args)); }
          static now() { return RealDate.now() + ahead; }
        }
        globalThis.Date = AheadDate;
      }`);
    }
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, server.url, 'monitor-send');
    return { context, page };
  }

  const status = (page: Page): Locator => page.getByRole('status').filter({ has: page.getByTestId('saved-notice') });

  /** A report from the GPS position, by taps only. */
  async function reportHere(page: Page, category: string): Promise<void> {
    await page.locator('.mobile-nav').getByRole('button', { name: 'New report' }).tap();
    await page.getByRole('radio', { name: category }).tap();
    await page.getByRole('radio', { name: 'My GPS' }).tap();
    await page.getByTestId('gps-status').getByText('accuracy ±8 m').waitFor();
    await page.getByRole('radio', { name: 'Heard', exact: true }).tap();
    await page.getByRole('button', { name: 'Save and send' }).tap();
  }

  it('reports a shelling by bearing with taps and typing, is taken to the missing field, then sees it confirmed in view', async () => {
    const { context, page } = await phone();
    const started = Date.now();
    await page.locator('.mobile-nav').getByRole('button', { name: 'New report' }).tap();
    await page.getByRole('radio', { name: 'Shelling' }).tap();
    await page.getByRole('radio', { name: 'From where I stand' }).tap();
    await page.getByTestId('gps-status').getByText('accuracy ±8 m').waitFor();
    await page.getByRole('textbox', { name: 'Bearing from' }).tap();
    await page.keyboard.type('75');
    await page.getByRole('radio', { name: 'km', exact: true }).tap();
    await page.getByRole('textbox', { name: 'Distance from (km)' }).tap();
    await page.keyboard.type('2');
    await page.getByRole('textbox', { name: 'to (km)' }).tap();
    await page.keyboard.type('3.5');

    // The mistake: "How observed" left out. Send takes the monitor to it.
    await page.getByRole('button', { name: 'Save and send' }).tap();
    const alert = page.getByTestId('error-summary');
    await expect.poll(() => alert.textContent()).toBe('Not sent. Check this field: How observed.');
    expect(await alert.getAttribute('role')).toBe('alert');
    await expectInView(alert);
    const focus = await focused(page);
    expect(focus.name).toBe('method');
    expect(focus.group?.invalid).toBe('true');
    expect(await page.locator(`#${focus.group?.describedBy ?? 'none'}`).textContent()).toBe('Choose one.');
    await expectInView(page.locator('input[name="method"]:focus'));
    // Only the field that is wrong is marked.
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);

    await page.getByRole('radio', { name: 'Heard', exact: true }).tap();
    await page.getByRole('button', { name: 'Save and send' }).tap();
    await status(page).getByText('Sent — confirmed by the server').waitFor({ timeout: 10_000 });
    // Playwright taps far faster than thumbs; this bounds what the app adds (e.g. a slow acknowledgement).
    expect(Date.now() - started).toBeLessThan(20_000);
    await expectInView(status(page));
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');
    // The form is closed, not left open and emptied; the next report is one explicit tap away.
    expect(await page.getByRole('button', { name: 'Save and send' }).count()).toBe(0);
    await expectInView(page.locator('.after-send').getByRole('button', { name: 'New report' }));

    const [stored] = await allReports(server.url);
    expect(stored?.category).toBe('shelling');
    expect(stored?.method).toBe('heard');
    expect(stored?.locationMethod).toBe('bearing');
    expect(stored?.distanceM).toEqual({ min: 2000, max: 3500 });

    await page.locator('.after-send').getByRole('button', { name: 'New report' }).tap();
    await page.getByRole('heading', { name: 'New report' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Shelling' }).isChecked()).toBe(false);
    expect(await status(page).count()).toBe(0);
    await context.close();
  });

  it('says saved on this device while offline, and turns to confirmed in place once the connection is back', async () => {
    const { context, page } = await phone();
    await context.setOffline(true);
    await page.getByTestId('connection').getByText('Offline').waitFor();
    await reportHere(page, 'Explosion');
    await status(page).getByText('Saved on this device, will send when online').waitFor();
    await expectInView(status(page));
    const before = await allReports(server.url);

    const region = await page.getByTestId('send-status').elementHandle();
    await context.setOffline(false);
    await waitOnline(page);
    await status(page).getByText('Sent — confirmed by the server').waitFor({ timeout: 20_000 });
    await expectInView(status(page));
    // The same live region changed its words (so a screen reader announces the change).
    expect(await region?.evaluate((el) => el.isConnected && el.textContent)).toBe('Sent — confirmed by the server');
    const after = await allReports(server.url);
    expect(after.length).toBe(before.length + 1);
    await context.close();
  });

  it('shows the server’s refusal and its reason, in view', async () => {
    const { context, page } = await phone({ clockAheadMs: 10 * 60_000 });
    const before = await allReports(server.url);
    await reportHere(page, 'Small-arms fire');
    const refusal = status(page).getByText(/^Not accepted by the server: /);
    await refusal.waitFor({ timeout: 10_000 });
    expect(await refusal.textContent()).toMatch(/observedAt: must not be more than 5 minutes in the future/);
    await expectInView(status(page));
    await expectInView(page.getByRole('button', { name: 'Open Outbox' }));
    expect(await allReports(server.url)).toHaveLength(before.length);

    await page.getByRole('button', { name: 'Open Outbox' }).tap();
    await page.locator('.outbox-list li[data-state="failed"]').waitFor();
    await context.close();
  });
});

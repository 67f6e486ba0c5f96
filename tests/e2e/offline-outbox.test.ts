import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReportForm, placeOnMap, signIn, waitForMap, waitOnline } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { allReports, createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

describe.runIf(HAS_CHROMIUM)('the outbox offline', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-offline', 'monitor');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
    // The page asks before closing with unsent reports; the person in this test says yes.
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, server.url, 'monitor-offline');
    // The app shell must be cached by the service worker before the network goes away.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function reportOffline(category: string, at: { lon: number; lat: number }): Promise<void> {
    await openReportForm(page);
    await page.getByRole('radio', { name: category }).check();
    await page.getByRole('radio', { name: 'On the map' }).check();
    await placeOnMap(page, at, 12);
    await page.getByRole('radio', { name: 'Heard', exact: true }).check();
    await page.getByRole('button', { name: 'Save and send' }).click();
    await page.getByTestId('saved-notice').waitFor();
  }

  it('keeps two reports made offline through a reload and delivers each exactly once', async () => {
    await context.setOffline(true);
    await page.getByTestId('connection').getByText('Offline').waitFor();
    await reportOffline('Explosion', { lon: 37.75, lat: 48.14 });
    await reportOffline('Small-arms fire', { lon: 37.76, lat: 48.15 });
    expect(await page.getByTestId('unsent-badge').textContent()).toBe('2 unsent');

    // Reload with no network: the service worker serves the app, IndexedDB still has the outbox.
    await page.reload();
    await waitForMap(page);
    await page.getByTestId('connection').getByText('Offline').waitFor();
    await page.getByRole('button', { name: 'Outbox' }).locator('visible=true').first().click();
    await expect.poll(() => page.locator('.outbox-list li[data-state="saved"]').count()).toBe(2);
    expect(await allReports(server.url)).toHaveLength(0);

    await context.setOffline(false);
    await waitOnline(page);
    await expect.poll(() => page.locator('.outbox-list li[data-state="confirmed"]').count(), { timeout: 20_000 }).toBe(2);
    const stored = await allReports(server.url);
    expect(stored.map((r) => r.category).sort()).toEqual(['explosion', 'small_arms_fire']);
    await expect.poll(() => page.getByTestId('unsent-badge').count()).toBe(0);

    // Another reload (and so another connect and flush) must not deliver anything again.
    await page.reload();
    await waitOnline(page);
    expect(await allReports(server.url)).toHaveLength(2);
  });
});

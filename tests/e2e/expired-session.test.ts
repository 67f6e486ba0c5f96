import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReportForm, placeOnMap, signIn, waitOnline } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { allReports, createUser, PASSWORD } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

describe.runIf(HAS_CHROMIUM)('a session that ends while reports wait', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-expiry', 'monitor');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, server.url, 'monitor-expiry');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps the outbox and sends it once the same user signs in again', async () => {
    await context.setOffline(true);
    await page.getByTestId('connection').getByText('Offline').waitFor();
    await openReportForm(page);
    await page.getByRole('radio', { name: 'Heavy weapons present' }).check();
    await page.getByRole('radio', { name: 'On the map' }).check();
    await placeOnMap(page, { lon: 37.8, lat: 48.2 }, 12);
    await page.getByRole('radio', { name: 'Seen', exact: true }).check();
    await page.getByRole('button', { name: 'Save and send' }).click();
    await page.getByTestId('saved-notice').waitFor();

    // Meanwhile the token is revoked on the server (as an admin would, or its idle expiry).
    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('truceline.session') ?? '{}') as { token?: string }).token);
    const revoked = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token ?? ''}` } });
    expect(revoked.status).toBe(204);

    await context.setOffline(false);
    await page.getByText('Your session ended').waitFor({ timeout: 20_000 });
    await page.getByText('Unsent reports of monitor-expiry are kept on this device').waitFor();
    expect(await allReports(server.url)).toHaveLength(0);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitOnline(page);
    await expect.poll(async () => (await allReports(server.url)).map((r) => r.category), { timeout: 20_000 }).toEqual(['heavy_weapons']);
  });
});

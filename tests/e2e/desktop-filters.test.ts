import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { boxOf, inside } from './support/layout.js';
import { createUser, login, PASSWORD, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
const VIEWPORT = { width: 1440, height: 900 };

describe.runIf(HAS_CHROMIUM)('the filters on a 1440×900 desktop', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-filters', 'monitor');
    await createUser(server.url, 'coord-filters', 'coordinator');
    const { token } = await login(server.url, 'monitor-filters', PASSWORD);
    const categories = ['explosion', 'shelling', 'shelling', 'drone_sighting'] as const;
    for (const [i, category] of categories.entries()) {
      await submitReport(server.url, token, {
        id: uuidv7(),
        category,
        observedAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
        method: 'heard',
        location: { lon: 37.7 + i * 0.05, lat: 48.1, source: 'map' },
      });
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT, acceptDownloads: true });
    await signIn(page, server.url, 'coord-filters');
    await page.locator('.feed-list li').nth(3).waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps the feed on screen with the filters open', async () => {
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Explosion' }).waitFor();
    // The feed's heading and first row inside the window and inside the panel's visible part.
    const panel = await boxOf(page, '.panel-body');
    const heading = await page.getByRole('heading', { name: /Live feed/ }).boundingBox();
    const firstRow = await page.locator('.feed-list li').first().boundingBox();
    if (!panel || !heading || !firstRow) throw new Error('feed not drawn');
    const visiblePanel = { ...panel, height: Math.min(panel.height, VIEWPORT.height - panel.y) };
    expect(inside(heading, visiblePanel)).toBe(true);
    expect(inside(firstRow, visiblePanel)).toBe(true);
    // Without the panel scrolled to get there.
    expect(await page.locator('.panel-body').evaluate((el) => el.scrollTop)).toBe(0);
    // The filters at the bottom of their list are still reachable, by scrolling the filters.
    const layers = page.getByRole('checkbox', { name: 'Areas (hexagons)', exact: true });
    await layers.scrollIntoViewIfNeeded();
    expect(await layers.isVisible()).toBe(true);
  });

  it('says "Exported 1 report." in the singular, and drops the message once the filters change', async () => {
    await page.getByRole('checkbox', { name: 'Explosion' }).check();
    await expect.poll(() => page.getByTestId('feed-count').textContent()).toBe('1');
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export GeoJSON' }).click()]);
    await expect.poll(() => page.getByTestId('export-status').textContent()).toBe('Exported 1 report.');

    await page.getByRole('checkbox', { name: 'Shelling' }).check();
    await expect.poll(() => page.getByTestId('feed-count').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('export-status').count()).toBe(0);

    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export GeoJSON' }).click()]);
    await expect.poll(() => page.getByTestId('export-status').textContent()).toBe('Exported 3 reports.');
  });
});

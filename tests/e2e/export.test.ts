import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser, login, PASSWORD, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

describe.runIf(HAS_CHROMIUM)('export', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-export', 'monitor');
    await createUser(server.url, 'coord-export', 'coordinator');
    const { token } = await login(server.url, 'monitor-export', PASSWORD);
    const categories = ['explosion', 'explosion', 'explosion', 'shelling', 'drone_sighting'] as const;
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
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await signIn(page, server.url, 'coord-export');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('downloads the filtered selection as a GeoJSON FeatureCollection', async () => {
    await expect.poll(() => page.getByTestId('feed-count').textContent()).toBe('5');
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Explosion' }).check();
    await expect.poll(() => page.getByTestId('feed-count').textContent()).toBe('3');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export GeoJSON' }).click()]);
    const file = await download.path();
    const collection = JSON.parse(fs.readFileSync(file, 'utf8')) as { type: string; features: { properties: { category: string } }[] };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(3);
    expect(collection.features.every((f) => f.properties.category === 'explosion')).toBe(true);
    await page.getByTestId('export-status').getByText('Exported 3 reports.').waitFor();
  });
});

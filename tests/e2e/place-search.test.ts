import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { PASSWORD, createUser, login, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
/** GeoNames' Avdiivka (Donetsk Oblast) and Kraków. */
const AVDIIVKA = { lon: 37.74255, lat: 48.13989 };
const KRAKOW = { lon: 19.93658, lat: 50.06143 };
const KYIV = { lon: 30.52, lat: 50.45 };

async function mapView(page: Page): Promise<{ lon: number; lat: number; zoom: number; moving: boolean }> {
  return page.evaluate(() => {
    const map = window.trucelineMap;
    if (!map) throw new Error('no map');
    const c = map.getCenter();
    return { lon: c.lng, lat: c.lat, zoom: map.getZoom(), moving: map.isMoving() };
  });
}

/** Waits until the map has come to rest within ~100 m of `at`, zoomed in to street level. */
async function expectSettledAt(page: Page, at: { lon: number; lat: number }): Promise<void> {
  await expect
    .poll(async () => {
      const view = await mapView(page);
      return !view.moving && Math.abs(view.lon - at.lon) < 0.002 && Math.abs(view.lat - at.lat) < 0.002 && view.zoom >= 12;
    }, { timeout: 15_000 })
    .toBe(true);
}

describe.runIf(HAS_CHROMIUM)('settlement search and places in the feed', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const reportId = uuidv7();

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'coord-cy', 'coordinator');
    const { token } = await login(server.url, 'coord-cy', PASSWORD);
    // 3 km north-east of Avdiivka.
    await submitReport(server.url, token, {
      id: reportId,
      category: 'explosion',
      observedAt: new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      method: 'heard',
      location: { lon: AVDIIVKA.lon + 0.0283, lat: AVDIIVKA.lat + 0.0198, source: 'map' },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await signIn(page, server.url, 'coord-cy');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the place of a report in the feed and in its detail', async () => {
    const row = page.locator(`.feed-list li[data-report-id="${reportId}"]`);
    await row.getByText('3.0 km NE of Avdiivka (Donetsk Oblast)').waitFor({ timeout: 15_000 });
    await row.getByRole('button').click();
    await expect.poll(() => page.getByTestId('detail-place').textContent()).toBe('3.0 km NE of Avdiivka (Donetsk Oblast)');
  });

  it('flies the map to a settlement picked from the suggestions', async () => {
    await centerMap(page, KYIV, 6);
    const search = page.getByRole('combobox', { name: 'Go to a settlement' });
    await search.fill('avdi');
    const option = page.getByRole('option', { name: /Avdiivka Donetsk Oblast, UA/ });
    await option.waitFor({ timeout: 10_000 });
    // The most populous Avdiivka first; the one in Chernihiv Oblast is offered too.
    await expect.poll(() => page.getByRole('option').first().textContent()).toBe('Avdiivka Donetsk Oblast, UA');
    await page.getByRole('option', { name: /Avdiivka Chernihiv Oblast, UA/ }).waitFor();
    await option.click();
    await expectSettledAt(page, AVDIIVKA);
    await expect.poll(() => page.getByRole('option').count()).toBe(0);
  });

  it('goes to the first suggestion with Enter, accents not needed', async () => {
    const search = page.getByRole('combobox', { name: 'Go to a settlement' });
    await search.fill('krakow');
    await page.getByRole('option', { name: /Kraków/ }).first().waitFor({ timeout: 10_000 });
    await search.press('Enter');
    await expectSettledAt(page, KRAKOW);
  });

  it('says so when no settlement has that name', async () => {
    const search = page.getByRole('combobox', { name: 'Go to a settlement' });
    await search.fill('zzqqx');
    await page.getByText('No settlement of that name.').waitFor({ timeout: 10_000 });
  });
});

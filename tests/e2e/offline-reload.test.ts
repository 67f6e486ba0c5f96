import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, mapView, signIn, waitForMap } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
/** Where the monitor was looking before the network went (Pokrovsk). */
const VIEW = { lon: 37.18, lat: 48.28, zoom: 12 };

/** The header's "· last synced 09:41" (or "not synced yet"). */
function syncedText(page: Page): Promise<string | null> {
  return page.getByTestId('connection').locator('.muted').textContent();
}

/** What the device's report cache holds as its last catch-up time (read in the page). */
function storedSyncedAt(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('truceline');
    open.onerror = () => reject(open.error ?? new Error('device database not opened'));
    open.onsuccess = () => {
      const get = open.result.transaction('meta').objectStore('meta').get('syncedAt');
      get.onerror = () => reject(get.error ?? new Error('meta not read'));
      get.onsuccess = () => {
        open.result.close();
        resolve((get.result as { value?: unknown } | undefined)?.value);
      };
    };
  });
}

describe.runIf(HAS_CHROMIUM)('a reload with no network', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-reload', 'monitor');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
    await signIn(page, server.url, 'monitor-reload');
    // The app shell must be cached by the service worker before the network goes away.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps the map where it was and the header says when the device last synced', async () => {
    await expect.poll(() => syncedText(page)).toMatch(/last synced \d\d:\d\d/);
    const synced = await syncedText(page);
    await centerMap(page, VIEW, VIEW.zoom);
    // The device writes what it synced a few seconds after the catch-up (background work); a
    // person reloading later finds it there. Wait for that write, not for a time.
    await expect.poll(() => page.evaluate(storedSyncedAt), { timeout: 20_000 }).toBeTypeOf('number');

    await context.setOffline(true);
    await page.reload();
    await waitForMap(page);
    await page.getByTestId('connection').getByText('Offline').waitFor();
    await expect.poll(() => syncedText(page)).toBe(synced);
    const view = await mapView(page);
    expect(view.lon).toBeCloseTo(VIEW.lon, 5);
    expect(view.lat).toBeCloseTo(VIEW.lat, 5);
    expect(view.zoom).toBeCloseTo(VIEW.zoom, 5);
    await context.setOffline(false);
  });
});

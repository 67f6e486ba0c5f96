import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, mapView, signIn, waitForMap, type LonLat } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
/** The mission's own opening view, set on the server process (Zaporizhzhia oblast). */
const MISSION_VIEW = { lon: 35.6, lat: 47.4, zoom: 9 };
/** Where the monitor's phone is (near Kramatorsk). */
const DEVICE = { lon: 37.58, lat: 48.73 };
/** Somewhere the monitor looked before (Kharkiv). */
const ELSEWHERE = { lon: 36.25, lat: 49.99 };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } as const;

/** Waits until the map has settled at `at` (and `zoom`, when given). */
async function expectCentre(page: Page, at: LonLat, zoom?: number): Promise<void> {
  await expect
    .poll(async () => {
      const v = await mapView(page);
      return Math.abs(v.lon - at.lon) < 1e-4 && Math.abs(v.lat - at.lat) < 1e-4 && (zoom === undefined || Math.abs(v.zoom - zoom) < 1e-6);
    }, { timeout: 15_000 })
    .toBe(true);
}

describe.runIf(HAS_CHROMIUM)('where the map opens, and the locate-me button', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function phone(options: { geolocation?: LonLat; granted?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      ...PHONE,
      ...(options.geolocation ? { geolocation: { longitude: options.geolocation.lon, latitude: options.geolocation.lat, accuracy: 8 } } : {}),
      ...(options.granted ? { permissions: ['geolocation'] } : {}),
    });
    contexts.push(context);
    return { context, page: await context.newPage() };
  }

  beforeAll(async () => {
    server = await startServerProcess({ MAP_DEFAULT_VIEW: `${MISSION_VIEW.lon},${MISSION_VIEW.lat},${MISSION_VIEW.zoom}` });
    await createUser(server.url, 'monitor-opening', 'monitor');
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it("opens a first visit on the mission's MAP_DEFAULT_VIEW, and a reload on the last view", async () => {
    const { page } = await phone();
    await signIn(page, server.url, 'monitor-opening');
    await expectCentre(page, MISSION_VIEW, MISSION_VIEW.zoom);
    await centerMap(page, ELSEWHERE, 11);
    await page.reload();
    await waitForMap(page);
    await expectCentre(page, ELSEWHERE, 11);
  });

  it('opens where the device stands when the site may already read its position, over the last view', async () => {
    const { page } = await phone({ geolocation: DEVICE, granted: true });
    await signIn(page, server.url, 'monitor-opening');
    await expectCentre(page, DEVICE, 13);
    await centerMap(page, ELSEWHERE, 9);
    await page.reload();
    await waitForMap(page);
    await expectCentre(page, DEVICE, 13);
  });

  it('locate-me says so when the position is refused, and flies to the device once it is allowed', async () => {
    const { context, page } = await phone({ geolocation: DEVICE });
    await signIn(page, server.url, 'monitor-opening');
    // Not granted: the page did not ask at load, and opened on the mission's view.
    await expectCentre(page, MISSION_VIEW, MISSION_VIEW.zoom);
    const locate = page.getByRole('button', { name: 'Show my position' });
    const box = await locate.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(44);
    expect(box?.height).toBeGreaterThanOrEqual(44);
    await locate.click();
    await page.getByRole('alert').filter({ hasText: 'may not read your position' }).waitFor({ timeout: 15_000 });
    await expectCentre(page, MISSION_VIEW, MISSION_VIEW.zoom);

    await context.grantPermissions(['geolocation'], { origin: server.url });
    await locate.click();
    await expectCentre(page, DEVICE, 13);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'may not read your position' }).count()).toBe(0);
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, mapView, openReportForm, signIn, useMapCentre } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { allReports, createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
const EVENT = { lon: 37.62, lat: 48.31 };

/** The placed position as the form shows it: `lat, lon` and its "± N m" (or km). */
async function readout(page: Page): Promise<{ lat: number; lon: number; radius: string }> {
  const decimal = (await page.getByTestId('position-decimal').first().textContent()) ?? '';
  const [lat, lon] = decimal.split(',').map(Number) as [number, number];
  return { lat, lon, radius: (await page.getByTestId('position-radius').first().textContent()) ?? '' };
}

/** What the crosshair's radius is at the map's centre now: the page's map scale times 22 px. */
async function expectedRadiusM(page: Page): Promise<number> {
  const { lat, zoom } = await mapView(page);
  return Math.round(((40_075_016.7 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom)) * 22);
}

/** Waits until the map stops moving (a drag's inertia, a zoom's easing). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => window.trucelineMap !== undefined && !window.trucelineMap.isMoving() && window.trucelineMap.loaded());
}

describe.runIf(HAS_CHROMIUM)('placing a position with the crosshair', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-crosshair', 'monitor');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('pans and zooms under the crosshair, then "Use this position" sets the centre with its ± radius, which the server stores', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, server.url, 'monitor-crosshair');
    await openReportForm(page);
    await page.getByRole('radio', { name: 'Explosion' }).check();
    await page.getByRole('radio', { name: 'On the map' }).check();
    await centerMap(page, EVENT, 12);
    // A person's pan (a drag) and zoom (the wheel): neither places anything.
    const map = await page.locator('.map canvas').boundingBox();
    if (!map) throw new Error('no map');
    await page.mouse.move(map.x + 300, map.y + 300);
    await page.mouse.down();
    await page.mouse.move(map.x + 380, map.y + 340, { steps: 8 });
    await page.mouse.up();
    await page.mouse.wheel(0, -300);
    // The wheel zoom eases over a few frames after the event.
    await expect.poll(async () => (await mapView(page)).zoom, { timeout: 10_000 }).toBeGreaterThan(12.2);
    await settled(page);
    expect(await page.getByText('No position yet.').count()).toBe(1);
    const view = await mapView(page);
    expect(Math.abs(view.lon - EVENT.lon)).toBeGreaterThan(1e-3);

    await useMapCentre(page);
    const placed = await readout(page);
    expect(placed.lat).toBeCloseTo(view.lat, 5);
    expect(placed.lon).toBeCloseTo(view.lon, 5);
    const radius = await expectedRadiusM(page);
    expect(radius).toBeLessThan(500);
    expect(placed.radius).toBe(`± ${radius} m`);
    expect(await page.getByTestId('crosshair-radius').textContent()).toBe(`± ${radius} m`);
    expect(await page.getByText('Coarse position').count()).toBe(0);

    await page.getByRole('radio', { name: 'Heard', exact: true }).check();
    await page.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(async () => (await allReports(server.url)).length, { timeout: 15_000 }).toBe(1);
    const [stored] = await allReports(server.url);
    expect(stored?.location).toMatchObject({ source: 'map', accuracyM: radius });
    expect(stored?.location.lon).toBeCloseTo(view.lon, 5);
    expect(stored?.location.lat).toBeCloseTo(view.lat, 5);
    expect(stored?.uncertaintyM).toBe(radius);
    await page.close();
  });

  it('warns that a position placed zoomed out is coarse, until it is placed again zoomed in', async () => {
    const page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })).newPage();
    await signIn(page, server.url, 'monitor-crosshair');
    await openReportForm(page);
    await page.getByRole('radio', { name: 'On the map' }).check();
    await centerMap(page, EVENT, 8);
    await expect.poll(() => page.getByTestId('crosshair-radius').getAttribute('class')).toContain('coarse');
    await useMapCentre(page);
    const coarse = page.getByRole('alert').filter({ hasText: 'Coarse position: zoom in' });
    await coarse.waitFor();
    // Zoom 8 at 48.3° N: ~204 m a pixel, so kilometres, shown as such.
    expect((await readout(page)).radius).toBe(`± ${((await expectedRadiusM(page)) / 1000).toFixed(1)} km`);

    await centerMap(page, EVENT, 14);
    await useMapCentre(page);
    await expect.poll(() => coarse.count()).toBe(0);
    expect((await readout(page)).radius).toBe(`± ${await expectedRadiusM(page)} m`);
    await page.close();
  });

  it('a double-tap zoom on the phone zooms and leaves the placed position where it was', async () => {
    const page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })).newPage();
    await signIn(page, server.url, 'monitor-crosshair');
    await openReportForm(page);
    await page.getByRole('radio', { name: 'On the map' }).check();
    await centerMap(page, EVENT, 11);
    await useMapCentre(page);
    const before = await readout(page);

    // Two taps off the crosshair, the second within the double-tap window.
    const map = await page.locator('.map canvas').boundingBox();
    if (!map) throw new Error('no map');
    const x = map.x + map.width * 0.3;
    const y = map.y + map.height * 0.7;
    await page.touchscreen.tap(x, y);
    await page.touchscreen.tap(x, y);
    await expect.poll(async () => (await mapView(page)).zoom, { timeout: 10_000 }).toBeGreaterThan(11.5);
    await settled(page);
    const after = await mapView(page);
    // The map zoomed about the tapped point, so the crosshair is elsewhere, but the position stayed.
    expect(Math.abs(after.lon - before.lon)).toBeGreaterThan(1e-3);
    expect(await readout(page)).toEqual(before);
    await page.close();
  });
});

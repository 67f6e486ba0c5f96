import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { PASSWORD, createUser, login, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
const R = 6371008.8;
const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

/** The point `metres` from `from` at `bearingDeg` on the sphere (a plain formula, not the app's). */
function destination(from: { lon: number; lat: number }, bearingDeg: number, metres: number) {
  const d = metres / R;
  const lat = Math.asin(Math.sin(rad(from.lat)) * Math.cos(d) + Math.cos(rad(from.lat)) * Math.sin(d) * Math.cos(rad(bearingDeg)));
  const lon = rad(from.lon) + Math.atan2(Math.sin(rad(bearingDeg)) * Math.sin(d) * Math.cos(rad(from.lat)), Math.cos(d) - Math.sin(rad(from.lat)) * Math.sin(lat));
  return { lon: deg(lon), lat: deg(lat) };
}

const TRUTH = { lon: 37.82, lat: 48.21 };
/** Checkpoints: metres from the truth and the bearing from the truth to them; the bearing back is +180°. */
const CHECKPOINTS: [number, number][] = [
  [2600, 200],
  [3100, 300],
  [2200, 80],
];

// The coordinator selects one of three bearing reports of one explosion: the map draws each
// monitor's line of sight and where they cross, with its uncertainty circle.
describe.runIf(HAS_CHROMIUM)('a triangulated incident on the map', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'coord-tri', 'coordinator');
    const observedAt = new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const [i, [metres, fromTruth]] of CHECKPOINTS.entries()) {
      await createUser(server.url, `monitor-tri-${i}`, 'monitor');
      const { token } = await login(server.url, `monitor-tri-${i}`, PASSWORD);
      const observer = destination(TRUTH, fromTruth, metres);
      const back = (fromTruth + 180) % 360;
      await submitReport(server.url, token, {
        id: uuidv7(),
        category: 'explosion',
        method: 'heard',
        observedAt,
        observer: { ...observer, accuracyM: 10 },
        bearing: { fromDeg: back, toDeg: back, reference: 'true' },
        distanceM: { min: Math.round(metres * 0.7), max: Math.round(metres * 1.4) },
      });
    }
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, server.url, 'coord-tri');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws the three rays and the fix with its circle for the selected report', async () => {
    await page.locator('.filters > summary').click();
    await page.locator('input[name="layer-incidents"]').check();
    await expect.poll(() => page.getByTestId('feed-count').textContent(), { timeout: 15_000 }).toBe('3');
    await page.locator('.feed-list li').first().getByRole('button').first().click();
    await centerMap(page, TRUTH, 12);
    const drawn = (layer: string) =>
      page.evaluate((id) => window.trucelineMap?.queryRenderedFeatures({ layers: [id] }).length ?? 0, layer);
    await expect.poll(() => drawn('tl-triangulation-ray'), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(await drawn('tl-triangulation-fix')).toBeGreaterThanOrEqual(1);
    expect(await drawn('tl-triangulation-circle')).toBeGreaterThanOrEqual(1);
  });
});

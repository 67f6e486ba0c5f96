import type { Page } from 'playwright-core';
import { PASSWORD } from './rest.js';

export interface LonLat {
  lon: number;
  lat: number;
}

/** Signs in through the form, then waits until the socket is online and the map has loaded. */
export async function signIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitOnline(page);
  await waitForMap(page);
}

export async function waitOnline(page: Page): Promise<void> {
  await page.getByTestId('connection').getByText('Online', { exact: true }).waitFor({ timeout: 20_000 });
}

export async function waitForMap(page: Page): Promise<void> {
  await page.waitForFunction(() => window.trucelineMap?.getSource('tl-reports') !== undefined && window.trucelineMap.loaded(), null, { timeout: 30_000 });
}

/** Moves the map so that `at` is in view at `zoom`, and waits until it has settled. */
export async function centerMap(page: Page, at: LonLat, zoom: number): Promise<void> {
  await page.evaluate(
    ({ lon, lat, z }) =>
      new Promise<void>((resolve) => {
        const map = window.trucelineMap;
        if (!map) throw new Error('no map');
        map.once('idle', () => resolve());
        map.jumpTo({ center: [lon, lat], zoom: z });
      }),
    { lon: at.lon, lat: at.lat, z: zoom },
  );
}

/**
 * Places the report's position (or the observer's) as a monitor does: moves the map so that `at`
 * is under the crosshair at `zoom`, then presses "Use this position".
 */
export async function placeOnMap(page: Page, at: LonLat, zoom: number): Promise<void> {
  await centerMap(page, at, zoom);
  await useMapCentre(page);
}

/** Presses "Use this position": the map's centre, where the crosshair is, becomes the position. */
export async function useMapCentre(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Use this position' }).click();
}

/** The map's centre and zoom as they are now. */
export async function mapView(page: Page): Promise<LonLat & { zoom: number }> {
  return page.evaluate(() => {
    const map = window.trucelineMap;
    if (!map) throw new Error('no map');
    const c = map.getCenter();
    return { lon: c.lng, lat: c.lat, zoom: map.getZoom() };
  });
}

/** Report ids the map's report layer draws right now (points, not clusters). */
export async function drawnReportIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const map = window.trucelineMap;
    if (!map) return [];
    return map.queryRenderedFeatures({ layers: ['tl-points'] }).map((f) => String(f.properties.id));
  });
}

/** Opens the report form (the phone's bottom bar or the desktop panel, whichever is shown). */
export async function openReportForm(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New report' }).locator('visible=true').first().click();
  await page.getByRole('heading', { name: 'New report' }).waitFor();
}

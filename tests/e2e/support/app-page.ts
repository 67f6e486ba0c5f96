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

/** Taps (clicks) the map canvas where `at` is drawn. */
export async function tapMap(page: Page, at: LonLat): Promise<void> {
  const point = await page.evaluate(({ lon, lat }) => {
    const p = window.trucelineMap?.project([lon, lat]);
    if (!p) throw new Error('no map');
    return { x: p.x, y: p.y };
  }, at);
  await page.locator('.map canvas').click({ position: point });
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

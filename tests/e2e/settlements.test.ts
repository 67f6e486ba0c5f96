import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { writeVectorMbtiles } from '../support/vector-tiles.js';

const HAS_CHROMIUM = chromiumAvailable();
/** GeoNames' Svyatogorsk (Sviatohirsk, Donetsk Oblast): 4 309 inhabitants, under the 25 000 of the always-loaded towns. */
const SVIATOHIRSK = { lon: 37.57194, lat: 49.04101 };
/** About the 1.5 km scale bar at this latitude on a 1400 px wide window. */
const WORKING_ZOOM = 12.5;

async function renderedNames(page: Page, layer: string): Promise<string[]> {
  return page.evaluate((id) => window.trucelineMap?.queryRenderedFeatures({ layers: [id] }).map((f) => String(f.properties.name)) ?? [], layer);
}

describe.runIf(HAS_CHROMIUM)('settlements at working zoom', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const tileRequests: string[] = [];

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-st', 'monitor');
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    page.on('request', (request) => {
      if (request.url().includes('/basemap/settlements/')) tileRequests.push(request.url());
    });
    await signIn(page, server.url, 'monitor-st');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads no settlement tile for the sign-in page and the zoomed-out first view', async () => {
    await centerMap(page, SVIATOHIRSK, 6);
    expect(tileRequests).toEqual([]);
  });

  it('shows a village of 1 000+ by name at the 1.5 km scale, but not zoomed out to 20 km', async () => {
    await centerMap(page, SVIATOHIRSK, 8);
    expect(await renderedNames(page, 'settlements')).not.toContain('Svyatogorsk');

    await centerMap(page, SVIATOHIRSK, WORKING_ZOOM);
    await expect.poll(() => renderedNames(page, 'settlements'), { timeout: 10_000 }).toContain('Svyatogorsk');
    // Only the tiles in view (a 1400×900 window spans at most 4×3 tiles of 512 px at z8), of the
    // one zoom they are cut at: zooming in reuses them.
    expect(tileRequests.length).toBeGreaterThan(0);
    expect(tileRequests.length).toBeLessThanOrEqual(12);
    for (const url of tileRequests) expect(url).toMatch(/\/basemap\/settlements\/8\/\d+\/\d+\.pbf$/);
  });

  it('answers a tile with no settlements as empty, not with the app shell', async () => {
    // z8 tile 0/0 is the Arctic Ocean west of Alaska: no settlement of 1 000+.
    const res = await fetch(`${server.url}/basemap/settlements/8/0/0.pbf`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const full = await fetch(`${server.url}/basemap/settlements/8/154/87.pbf`);
    expect(full.status).toBe(200);
    expect((await full.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });
});

describe.runIf(HAS_CHROMIUM)("a mission's own OpenStreetMap extract as the basemap", () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const tileRequests: string[] = [];
  /** A made-up village beside Sviatohirsk, so its label can only come from the fixture file. */
  const FIXTUREVILLE = { lon: 37.6, lat: 49.0 };

  beforeAll(async () => {
    server = await startServerProcess();
    // DATA_DIR/basemap/ is read on each request: the file may arrive after start-up.
    const dir = path.join(server.dataDir, 'basemap');
    fs.mkdirSync(dir);
    writeVectorMbtiles(
      path.join(dir, 'donbas.mbtiles'),
      {
        place: {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: { class: 'village', name: 'Fixtureville' }, geometry: { type: 'Point', coordinates: [FIXTUREVILLE.lon, FIXTUREVILLE.lat] } }],
        },
        transportation: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { class: 'primary' },
              geometry: { type: 'LineString', coordinates: [[37.5, 48.95], [37.7, 49.05]] },
            },
          ],
        },
      },
      { minzoom: 0, maxzoom: 6 },
    );
    await createUser(server.url, 'monitor-osm', 'monitor');
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    page.on('request', (request) => {
      if (request.url().includes('/basemap/')) tileRequests.push(new URL(request.url()).pathname);
    });
    await signIn(page, server.url, 'monitor-osm');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws the file served by Truceline instead of the built-in basemap, with its place names', async () => {
    await centerMap(page, FIXTUREVILLE, WORKING_ZOOM);
    await expect.poll(() => renderedNames(page, 'place'), { timeout: 10_000 }).toContain('Fixtureville');
    expect(await page.evaluate(() => window.trucelineMap?.getLayer('settlements') === undefined)).toBe(true);
    expect(tileRequests).toContain('/api/basemap/vector-style.json');
    expect(tileRequests.some((p) => /^\/api\/basemap\/mbtiles\/donbas\/6\/\d+\/\d+$/.test(p))).toBe(true);
    expect(tileRequests.filter((p) => p.startsWith('/basemap/settlements/'))).toEqual([]);
  });
});

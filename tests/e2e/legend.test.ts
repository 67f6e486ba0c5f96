import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { overlaps, type Box } from './support/layout.js';
import { createUser, login, PASSWORD, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
const CENTRE = { lon: 37.8, lat: 48.2 };
/** A 6×6 grid of report places 1.5 km apart: adjacent area cells (H3 resolution 7, ~2 km apart). */
const GRID = Array.from({ length: 36 }, (_, i) => ({ lon: CENTRE.lon + ((i % 6) - 2.5) * 0.02, lat: CENTRE.lat + (Math.floor(i / 6) - 2.5) * 0.0135 }));
const PER_PLACE = 3;
const TEXT_SIZE = 12;

interface LabelMap {
  queryRenderedFeatures(options: { layers: string[] }): { properties: Record<string, unknown>; geometry: { coordinates: [number, number] } }[];
  querySourceFeatures(source: string): { properties: Record<string, unknown> }[];
  project(lngLat: [number, number]): { x: number; y: number };
}

/**
 * The area labels the map draws now, each with the smallest box its text can take: digits of
 * Noto Sans are over half an em wide and a line an em high, centred on the cell's centre.
 * Boxes that small overlapping means the drawn numbers overlap.
 */
async function drawnAreaLabels(page: Page): Promise<{ boxes: (Box & { text: string })[]; cells: number; largest: number }> {
  return page.evaluate((size) => {
    const map = window.trucelineMap as unknown as LabelMap;
    const drawn = map.queryRenderedFeatures({ layers: ['tl-areas-label'] });
    const all = map.querySourceFeatures('tl-area-labels');
    const cells = new Set(all.map((f) => f.properties.id)).size;
    const largest = Math.max(0, ...all.map((f) => Number(f.properties.count)));
    const boxes = drawn.map((f) => {
      const text = String(f.properties.count);
      const p = map.project(f.geometry.coordinates);
      const width = text.length * size * 0.5;
      return { text, x: p.x - width / 2, y: p.y - size / 2, width, height: size };
    });
    return { boxes, cells, largest };
  }, TEXT_SIZE);
}

async function waitIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => window.trucelineMap?.loaded() && !window.trucelineMap.isMoving());
}

describe.runIf(HAS_CHROMIUM)('the map legend and its count labels', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-legend', 'monitor');
    await createUser(server.url, 'coord-legend', 'coordinator');
    const { token } = await login(server.url, 'monitor-legend', PASSWORD);
    for (const [i, place] of GRID.entries()) {
      for (let k = 0; k < PER_PLACE; k++) {
        await submitReport(server.url, token, {
          id: uuidv7(),
          category: 'explosion',
          method: 'heard',
          observedAt: new Date(Date.now() - (i * PER_PLACE + k + 1) * 10_000).toISOString(),
          location: { ...place, source: 'map' },
        });
      }
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('on the phone: folded at first, unfolded and folded again from the keyboard, listing the layers switched on', async () => {
    const page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true })).newPage();
    await signIn(page, server.url, 'coord-legend');
    const toggle = page.getByRole('button', { name: 'Legend' });
    const list = page.locator('.legend-list');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await list.isVisible()).toBe(false);

    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await list.getByText('Rejected: faded').waitFor();
    expect(await list.getByText('Reports close together').isVisible()).toBe(true);
    // Layers off, their symbols not explained.
    expect(await list.getByText('Incident:').count()).toBe(0);
    expect(await list.getByText('Area cell').count()).toBe(0);

    await page.keyboard.press(' ');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await list.isVisible()).toBe(false);
    await page.close();
  });

  it('on the desktop: open, and it explains incidents and area cells once their layers are on', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, server.url, 'coord-legend');
    const list = page.locator('.legend-list');
    await list.getByText('Reports close together').waitFor();
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Incidents', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Areas (hexagons)', exact: true }).check();
    await list.getByText('Incident:').waitFor();
    await list.getByText('Area cell').waitFor();
    await page.close();
  });

  it('area numbers never cover each other: crowded ones give way, and all show once there is room', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, server.url, 'coord-legend');
    await expect.poll(() => page.getByTestId('feed-count').textContent(), { timeout: 20_000 }).toBe(String(GRID.length * PER_PLACE));
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Reports', exact: true }).uncheck();
    await page.getByRole('checkbox', { name: 'Areas (hexagons)', exact: true }).check();

    // Zoomed out: cell centres ~10 px apart, closer than a two-digit number is wide.
    await centerMap(page, CENTRE, 8.3);
    await waitIdle(page);
    await expect.poll(async () => (await drawnAreaLabels(page)).cells, { timeout: 15_000 }).toBeGreaterThan(10);
    const crowded = await drawnAreaLabels(page);
    expect(crowded.boxes.length).toBeGreaterThan(0);
    expect(crowded.boxes.length).toBeLessThan(crowded.cells);
    for (const [i, a] of crowded.boxes.entries()) {
      for (const b of crowded.boxes.slice(i + 1)) expect(overlaps(a, b), `${a.text}@${a.x},${a.y} over ${b.text}@${b.x},${b.y}`).toBe(false);
    }
    // The larger counts win the place: the largest of all is drawn.
    expect(crowded.boxes.map((b) => Number(b.text))).toContain(crowded.largest);

    // Zoomed in: each cell's number has room, and every one is drawn.
    await centerMap(page, CENTRE, 11.5);
    await waitIdle(page);
    await expect.poll(async () => {
      const roomy = await drawnAreaLabels(page);
      return roomy.boxes.length === roomy.cells && roomy.cells > 10;
    }, { timeout: 15_000 }).toBe(true);
    await page.close();
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReportForm, signIn, useMapCentre } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { boxOf, inside, overlaps, type Box } from './support/layout.js';
import { allReports, createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

/** What sits over the map's corners: none may cover another, nor the attribution. */
async function mapOverlays(page: Page): Promise<{ map: Box; attribution: Box; others: [string, Box][] }> {
  const map = await boxOf(page, '.map');
  const attribution = await boxOf(page, '.maplibregl-ctrl-attrib');
  if (!map || !attribution) throw new Error('map or attribution not drawn');
  const others: [string, Box][] = [];
  for (const [name, selector] of [
    ['zoom and compass', '.maplibregl-ctrl-top-right .maplibregl-ctrl-group'],
    ['scale', '.maplibregl-ctrl-scale'],
    ['settlement search', '.place-search'],
    ['legend', '.map-legend'],
    // While the form places a point: "Use this position" under the crosshair.
    ['use this position', '.placement-bar'],
  ] as const) {
    const box = await boxOf(page, selector);
    if (box) others.push([name, box]);
  }
  // Controls added later (a locate-me button…) are held to the same rule.
  const extra = await page.evaluate(() =>
    [...document.querySelectorAll('.maplibregl-ctrl-top-left .maplibregl-ctrl, .maplibregl-ctrl-bottom-left .maplibregl-ctrl:not(.maplibregl-ctrl-scale), .maplibregl-ctrl-bottom-right .maplibregl-ctrl:not(.maplibregl-ctrl-attrib), .maplibregl-ctrl-top-right .maplibregl-ctrl:not(:first-child)')].map((el, i) => {
      const r = el.getBoundingClientRect();
      return [`control ${i}`, { x: r.x, y: r.y, width: r.width, height: r.height }] as [string, Box];
    }),
  );
  return { map, attribution, others: [...others, ...extra.filter(([, b]) => b.width > 0)] };
}

async function expectNoOverlaps(page: Page): Promise<void> {
  const { map, attribution, others } = await mapOverlays(page);
  expect(inside(attribution, map), 'attribution inside the map').toBe(true);
  for (const [name, box] of others) {
    expect(inside(box, map), `${name} inside the map`).toBe(true);
    expect(overlaps(box, attribution), `${name} over the attribution`).toBe(false);
  }
  for (const [i, [a, boxA]] of others.entries()) {
    for (const [b, boxB] of others.slice(i + 1)) expect(overlaps(boxA, boxB), `${a} over ${b}`).toBe(false);
  }
}

/** The map's attribution unfolded (its widest state) and folded, as a person may leave it. */
async function bothAttributionStates(page: Page, check: () => Promise<void>): Promise<void> {
  const button = page.locator('.maplibregl-ctrl-attrib-button');
  for (let i = 0; i < 2; i++) {
    await check();
    await button.click();
  }
}

describe.runIf(HAS_CHROMIUM)('the phone layout, upright and on its side', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-layout', 'monitor');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [orientation, width, height] of [
    ['portrait', 360, 740],
    ['landscape', 740, 360],
  ] as const) {
    it(`${orientation}: nothing over the map covers another control or the attribution, on the map and beside the form`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height }, hasTouch: true, isMobile: true })).newPage();
      await signIn(page, server.url, 'monitor-layout');
      await bothAttributionStates(page, () => expectNoOverlaps(page));
      await openReportForm(page);
      await bothAttributionStates(page, () => expectNoOverlaps(page));
      // The bottom bar (or the rail on its side) is whole on screen.
      const nav = await boxOf(page, '.mobile-nav');
      expect(nav && inside(nav, { x: 0, y: 0, width, height })).toBe(true);
      await page.close();
    });
  }

  it('landscape: the form stands beside the map, tall enough to use, and a report goes from it', async () => {
    const page = await (await browser.newContext({ viewport: { width: 740, height: 360 }, hasTouch: true, isMobile: true })).newPage();
    await signIn(page, server.url, 'monitor-layout');
    await openReportForm(page);
    const map = await boxOf(page, '.map');
    const panel = await boxOf(page, '.panel-body');
    if (!map || !panel) throw new Error('map or form not drawn');
    // Side by side, each with room: the form at least 250 px high (the upright sheet gave it ~40).
    expect(panel.x).toBeGreaterThanOrEqual(map.x + map.width - 1);
    expect(panel.height).toBeGreaterThanOrEqual(250);
    expect(map.height).toBeGreaterThanOrEqual(250);
    expect(map.width).toBeGreaterThanOrEqual(250);
    // The send button is in view without scrolling, and the first choices above it.
    const viewport = { x: 0, y: 0, width: 740, height: 360 };
    const send = await page.getByRole('button', { name: 'Save and send' }).boundingBox();
    const firstCategory = await page.locator('.category-grid label').first().boundingBox();
    expect(send && inside(send, viewport)).toBe(true);
    expect(firstCategory && inside(firstCategory, panel)).toBe(true);
    expect(firstCategory && send && firstCategory.y + firstCategory.height <= send.y).toBe(true);

    // Filled in as a thumb would: category, the position under the map's crosshair beside it, how it was observed.
    await page.locator('.category-grid label', { hasText: 'Explosion' }).click();
    await page.getByRole('radio', { name: 'On the map' }).check();
    await useMapCentre(page);
    await page.getByRole('radio', { name: 'Heard', exact: true }).check();
    await page.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(async () => (await allReports(server.url)).filter((r) => r.category === 'explosion').length, { timeout: 15_000 }).toBe(1);
    await page.close();
  });
});

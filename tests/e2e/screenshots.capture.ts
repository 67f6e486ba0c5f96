import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import type { ReportInputDraft } from '@truceline/shared';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { centerMap, openReportForm, placeOnMap, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { allReports, createUser, login, PASSWORD } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
// Screenshots for the README, taken by `pnpm screenshots` (not by `pnpm test`: they rewrite docs/).
if (!chromiumAvailable()) throw new Error('screenshots need Chromium at /usr/bin/chromium (apt-get install chromium)');

const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();

/** A plausible morning of reports along a front line, from two monitors. */
function seedReports(): ReportInputDraft[] {
  const r = (category: ReportInputDraft['category'], lon: number, lat: number, ago: number, extra: Partial<ReportInputDraft> = {}): ReportInputDraft => ({
    id: uuidv7(),
    category,
    observedAt: minutesAgo(ago),
    method: 'heard',
    location: { lon, lat, accuracyM: 150, source: 'map' },
    ...extra,
  });
  return [
    r('shelling', 37.752, 48.141, 180, { count: 12, countApprox: true, weapon: 'artillery', description: 'Outgoing artillery, roughly one round a minute for ten minutes.' }),
    r('explosion', 37.761, 48.148, 170, { method: 'seen_and_heard', assessment: 'impact', count: 3 }),
    r('small_arms_fire', 37.845, 48.392, 150, { count: 40, countUnit: 'bursts', countApprox: true }),
    r('drone_sighting', 37.86, 48.4, 140, { method: 'seen', description: 'Quadcopter circling above the school, 200 m up.' }),
    r('infrastructure_damage', 37.843, 48.594, 120, { method: 'seen', casualties: { killed: 0, injured: 2 }, description: 'Roof of the pumping station hit; two workers lightly injured.' }),
    r('civilian_harm', 38.0, 48.595, 100, { method: 'third_party', casualties: { killed: 1, injured: 3 } }),
    r('armed_clash', 37.18, 48.28, 90, { method: 'heard', count: 200, countUnit: 'shots', countApprox: true }),
    r('mine_uxo', 37.2, 48.3, 60, { method: 'seen', description: 'Unexploded mortar round at the road edge, marked with a red cloth.' }),
    r('air_drone_strike', 37.74, 48.13, 40, { method: 'seen_and_heard', weapon: 'drone', assessment: 'impact' }),
    r('monitor_restriction', 37.6, 48.05, 20, { method: 'seen', description: 'Patrol turned back at the checkpoint north of the village.' }),
    {
      id: uuidv7(),
      category: 'shelling',
      observedAt: minutesAgo(10),
      method: 'heard',
      observer: { lon: 37.66, lat: 48.09, accuracyM: 8 },
      bearing: { fromDeg: 35, toDeg: 55, reference: 'magnetic' },
      distanceM: { min: 4000, max: 7000 },
      count: 6,
      weapon: 'mortar',
      description: 'Six mortar impacts to the north-east, heard from the checkpoint.',
    },
  ];
}

async function shot(page: Page, name: string): Promise<void> {
  // Wait for the map to finish drawing; a repaint makes sure an already idle map says so again.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.trucelineMap;
        if (!map) return resolve();
        map.once('idle', () => resolve());
        map.triggerRepaint();
      }),
  );
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

describe('screenshots of the main screens', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    server = await startServerProcess();
    await createUser(server.url, 'olena', 'monitor');
    await createUser(server.url, 'coordinator', 'coordinator');
    const { token } = await login(server.url, 'olena', PASSWORD);
    for (const report of seedReports()) {
      await fetch(`${server.url}/api/reports`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(report) });
    }
    const coord = await login(server.url, 'coordinator', PASSWORD);
    const reports = await allReports(server.url);
    for (const [i, report] of reports.slice(0, 4).entries()) {
      await fetch(`${server.url}/api/reports/${report.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${coord.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(i === 3 ? { status: 'rejected', note: 'Same explosion as the 14:02 report, reported twice.' } : { status: 'verified' }),
      });
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('coordination room, dark theme, 1920 px', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, colorScheme: 'dark' });
    await signIn(page, server.url, 'coordinator');
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Incidents' }).check();
    await page.getByText('Filters', { exact: true }).click();
    await centerMap(page, { lon: 37.6, lat: 48.35 }, 9);
    await shot(page, 'desktop-coordinator-dark');

    const bearing = page.locator('.feed-list li').filter({ hasText: 'Six mortar impacts' });
    await bearing.getByRole('button').click();
    await page.getByRole('heading', { name: 'Shelling' }).waitFor();
    await centerMap(page, { lon: 37.72, lat: 48.13 }, 11);
    await shot(page, 'desktop-review-bearing');

    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Areas (hexagons)' }).check();
    await page.getByText('Filters', { exact: true }).click();
    await centerMap(page, { lon: 37.6, lat: 48.35 }, 9);
    await shot(page, 'desktop-areas-dark');
    await page.close();
  });

  it('field monitor on a 360 px phone', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 760 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.screenshot({ path: path.join(OUT, 'phone-sign-in.png') });
    await signIn(page, server.url, 'olena');
    await centerMap(page, { lon: 37.75, lat: 48.2 }, 9);
    await shot(page, 'phone-map');

    await openReportForm(page);
    await page.getByRole('radio', { name: 'Shelling' }).check();
    await page.getByRole('radio', { name: 'From where I stand' }).check();
    await page.getByRole('radio', { name: 'Marked on the map' }).check();
    await placeOnMap(page, { lon: 37.7, lat: 48.12 }, 11);
    await page.locator('input[name="bearing-from"]').fill('20');
    await page.locator('input[name="bearing-to"]').fill('45');
    await page.locator('input[name="distance-min"]').fill('2500');
    await page.locator('input[name="distance-max"]').fill('4500');
    await page.locator('input[name="bearing-from"]').scrollIntoViewIfNeeded();
    await shot(page, 'phone-report-bearing');

    await page.getByRole('radio', { name: 'Heard', exact: true }).check();
    await page.getByRole('button', { name: 'Save and send' }).click();
    await page.getByRole('button', { name: 'Outbox' }).locator('visible=true').first().click();
    await page.locator('.outbox-list li[data-state="confirmed"]').first().waitFor();
    await page.screenshot({ path: path.join(OUT, 'phone-outbox.png') });

    await page.getByRole('button', { name: 'Feed' }).locator('visible=true').first().click();
    await page.screenshot({ path: path.join(OUT, 'phone-feed.png') });
    await context.close();
  });
});

import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser, login, PASSWORD, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

describe.runIf(HAS_CHROMIUM)('summary panel', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'coord-summary', 'coordinator');
    // Three monitors heard the same explosions (40, 40, 35): one incident of 40 violations.
    // Far away, another incident of 5 bursts.
    const reports = [
      { count: 40, lon: 37.75 },
      { count: 40, lon: 37.75 },
      { count: 35, lon: 37.75 },
      { count: 5, lon: 36.5, category: 'small_arms_fire' as const, countUnit: 'bursts' as const },
    ];
    for (const [i, r] of reports.entries()) {
      await createUser(server.url, `monitor-summary-${i}`, 'monitor');
      const { token } = await login(server.url, `monitor-summary-${i}`, PASSWORD);
      await submitReport(server.url, token, {
        id: uuidv7(),
        category: r.category ?? 'explosion',
        observedAt: new Date(Date.now() - (i + 2) * 60_000).toISOString(),
        method: 'heard',
        count: r.count,
        ...(r.countUnit ? { countUnit: r.countUnit } : {}),
        location: { lon: r.lon, lat: 48.14, source: 'map' },
      });
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await signIn(page, server.url, 'coord-summary');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the counts of the filtered range, a chart, and downloads them as CSV', async () => {
    await page.getByRole('button', { name: 'Summary', exact: true }).click();
    const total = page.getByTestId('summary-total');
    const figure = (name: string) => total.locator(`tr[data-figure="${name}"] td`).first().textContent();
    await expect.poll(() => figure('violations')).toBe('45');
    expect(await figure('incidents')).toBe('2');
    expect(await figure('explosions')).toBe('40');
    expect(await figure('reports')).toBe('4');
    // The range before (the 24 hours before the last 24) had nothing: the change is the count.
    expect(await total.locator('tr[data-figure="violations"] td').nth(2).textContent()).toBe('+45');
    await page.locator('.summary-chart canvas').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const [header, ...rows] = fs.readFileSync(await download.path(), 'utf8').trimEnd().split('\r\n');
    expect(header?.startsWith('start,end,incidents,violations,explosions,killed,injured,reports,byCategory_explosion')).toBe(true);
    const violations = rows.map((row) => Number(row.split(',')[3])).reduce((a, b) => a + b, 0);
    expect(violations).toBe(45);
  });
});

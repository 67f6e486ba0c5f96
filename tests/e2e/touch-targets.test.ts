import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReportForm, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { interactiveTargets, tooSmall } from './support/layout.js';
import { createUser, login, PASSWORD, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

/**
 * Every control of the phone layout at least 44×44 CSS px (WCAG 2.5.5 target size, the
 * enhanced level; Apple's and Google's guidelines ask for the same): buttons, links, the hit
 * area of inputs (with their label, which takes the tap too), toggles and MapLibre's own zoom,
 * compass and attribution buttons. One deliberate exception, as WCAG 2.5.8 allows it: a link
 * inside a sentence, whose size the line of text sets (`inline` in support/layout.ts).
 */
async function smallTargets(page: Page): Promise<string[]> {
  const targets = await interactiveTargets(page);
  expect(targets.length).toBeGreaterThan(0);
  return tooSmall(targets.filter((t) => !t.inline));
}

describe.runIf(HAS_CHROMIUM)('touch targets on a 360×740 phone', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-touch', 'monitor');
    await createUser(server.url, 'coord-touch', 'coordinator');
    const { token } = await login(server.url, 'monitor-touch', PASSWORD);
    // A bearing report: its detail shows the most rows and the "show on map" link.
    await submitReport(server.url, token, {
      id: uuidv7(),
      category: 'shelling',
      method: 'heard',
      observedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      observer: { lon: 37.7, lat: 48.1, accuracyM: 10 },
      bearing: { fromDeg: 80, toDeg: 100, reference: 'true' },
      distanceM: { min: 2000, max: 4000 },
      description: 'Three outgoing rounds.',
    });
    browser = await launchChromium();
    // A coordinator sees every control a monitor sees, and the review and export ones besides.
    page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('on the sign-in screen', async () => {
    await page.goto(server.url);
    await page.getByLabel('Username').waitFor();
    expect(await smallTargets(page)).toEqual([]);
  });

  it('on the map, with the legend folded and unfolded and settlement suggestions open', async () => {
    await signIn(page, server.url, 'coord-touch');
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: 'Legend' }).click();
    await page.getByRole('combobox', { name: 'Go to a settlement' }).fill('kyi');
    await page.getByRole('option').first().waitFor({ timeout: 10_000 });
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('combobox', { name: 'Go to a settlement' }).fill('');
  });

  it('the skip link, once focused', async () => {
    await page.locator('a.skip').focus();
    const box = await page.locator('a.skip').boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(44);
    expect(box?.height).toBeGreaterThanOrEqual(44);
    await page.locator('a.skip').blur();
  });

  it('in the report form, in each way of giving a position and with every fold open', async () => {
    await openReportForm(page);
    await page.getByRole('button', { name: 'Add end of window' }).click();
    await page.getByText('More details', { exact: true }).click();
    for (const mode of ['My GPS', 'On the map', 'MGRS', 'From where I stand']) {
      await page.getByRole('radio', { name: mode }).check();
      expect(await smallTargets(page), mode).toEqual([]);
    }
    // The time when it was not "now": a date field appears.
    await page.getByRole('checkbox', { name: 'Now', exact: true }).uncheck();
    expect(await smallTargets(page)).toEqual([]);
  });

  it('in the feed with the filters, a custom time window and the presence list open', async () => {
    await page.locator('.mobile-nav').getByRole('button', { name: 'Feed' }).click();
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.locator('.presence summary').click();
    await page.locator('.feed-list li').first().waitFor();
    expect(await smallTargets(page)).toEqual([]);
  });

  it("in a report's detail", async () => {
    await page.locator('.feed-list li button').first().click();
    await page.getByRole('button', { name: 'Verify' }).waitFor();
    expect(await smallTargets(page)).toEqual([]);
  });

  it('in the outbox', async () => {
    await page.locator('.mobile-nav').getByRole('button', { name: 'Outbox' }).click();
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    expect(await smallTargets(page)).toEqual([]);
  });
});

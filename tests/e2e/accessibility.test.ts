import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReportForm, signIn } from './support/app-page.js';
import { axeFindings } from './support/axe.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser, login, PASSWORD, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

/**
 * axe-core over every screen a monitor and a coordinator meet, in the light and the dark theme
 * (chosen the way a person chooses it: the system's colour scheme). A screen fails on any
 * violation of impact serious or critical, and on a missing main landmark or h1; the failure
 * lists each rule with the selectors of its nodes.
 */
describe.runIf(HAS_CHROMIUM).each(['light', 'dark'] as const)('accessibility in the %s theme', (colorScheme) => {
  let server: ServerProcess;
  let browser: Browser;
  let phone: Page;
  let desk: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-axe', 'monitor');
    await createUser(server.url, 'coord-axe', 'coordinator');
    const { token } = await login(server.url, 'monitor-axe', PASSWORD);
    // A bearing report with a description: its detail has the most to check.
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
    // bypassCSP: axe is injected as inline script, which the app's policy rightly refuses.
    phone = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, colorScheme, bypassCSP: true })).newPage();
    desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme, bypassCSP: true })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sign-in', async () => {
    await phone.goto(server.url);
    await phone.getByLabel('Username').waitFor();
    expect(await phone.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme);
    expect(await axeFindings(phone)).toEqual([]);
  });

  it('the phone map', async () => {
    await signIn(phone, server.url, 'monitor-axe');
    expect(await axeFindings(phone)).toEqual([]);
  });

  it('the report form', async () => {
    await openReportForm(phone);
    expect(await axeFindings(phone)).toEqual([]);
  });

  it('the feed', async () => {
    await phone.locator('.mobile-nav').getByRole('button', { name: 'Feed' }).click();
    await phone.locator('.feed-list li').first().waitFor();
    expect(await axeFindings(phone)).toEqual([]);
  });

  it("a report's detail", async () => {
    await phone.locator('.feed-list li button').first().click();
    await phone.getByRole('heading', { level: 2, name: 'Shelling' }).waitFor();
    expect(await axeFindings(phone)).toEqual([]);
  });

  it("the coordinator's desktop view: map, feed and a detail with its review", async () => {
    await signIn(desk, server.url, 'coord-axe');
    await desk.locator('.feed-list li').first().waitFor();
    expect(await axeFindings(desk)).toEqual([]);
    await desk.locator('.feed-list li button').first().click();
    await desk.getByRole('button', { name: 'Verify' }).waitFor();
    expect(await axeFindings(desk)).toEqual([]);
  });

  it('the skip link takes the keyboard past the header and the map to the panel', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme })).newPage();
    await signIn(page, server.url, 'coord-axe');
    // A fresh load: the first Tab from the top of the page.
    await page.reload();
    await page.locator('.feed-list li').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('panel');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement?.closest('#panel') ? document.activeElement.tagName : 'outside the panel'))).toBe('BUTTON');
  });
});

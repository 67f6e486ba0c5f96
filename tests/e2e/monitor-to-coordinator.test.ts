import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, drawnReportIds, openReportForm, placeOnMap, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { allReports, createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
// Near Avdiivka: where the reports of this test happen.
const EVENT = { lon: 37.75, lat: 48.14 };
const OBSERVER = { lon: 37.7, lat: 48.1 };
// Text from users is shown as text: markup in a description must never run or render.
const MARKUP = '<img src=x onerror="window.__injected=1"><b>bold</b>';

describe.runIf(HAS_CHROMIUM)('a monitor reports, a coordinator reviews', () => {
  let server: ServerProcess;
  let browser: Browser;
  let monitorContext: BrowserContext;
  let coordinatorContext: BrowserContext;
  let monitor: Page;
  let coordinator: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-anna', 'monitor');
    await createUser(server.url, 'coord-bo', 'coordinator');
    browser = await launchChromium();
    // The monitor on a phone, the coordinator on a large screen.
    monitorContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    coordinatorContext = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    monitor = await monitorContext.newPage();
    coordinator = await coordinatorContext.newPage();
    await signIn(monitor, server.url, 'monitor-anna');
    await signIn(coordinator, server.url, 'coord-bo');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("places a report under the map's crosshair and submits it", async () => {
    await openReportForm(monitor);
    await monitor.getByRole('radio', { name: 'Explosion' }).check();
    await monitor.getByRole('radio', { name: 'On the map' }).check();
    await placeOnMap(monitor, EVENT, 13);
    const readout = await monitor.getByTestId('position-decimal').first().textContent();
    const [lat, lon] = (readout ?? '').split(',').map(Number);
    expect(lat).toBeCloseTo(EVENT.lat, 3);
    expect(lon).toBeCloseTo(EVENT.lon, 3);
    await expect.poll(() => monitor.getByTestId('position-mgrs').first().textContent()).toMatch(/^37U [A-Z]{2} \d{5} \d{5}$/);
    await monitor.getByRole('radio', { name: 'Seen and heard' }).check();
    await monitor.getByLabel('Description').fill(MARKUP);
    await monitor.getByRole('button', { name: 'Save and send' }).click();
    await monitor.getByTestId('saved-notice').waitFor();
    await openOutbox(monitor);
    await monitor.locator('.outbox-list li').first().getByText('Confirmed by the server').waitFor({ timeout: 15_000 });
  });

  it('places a report by bearing and distance, drawing the wedge live', async () => {
    await openReportForm(monitor);
    await monitor.getByRole('radio', { name: 'Shelling' }).check();
    await monitor.getByRole('radio', { name: 'From where I stand' }).check();
    await monitor.getByRole('radio', { name: 'Marked on the map' }).check();
    await placeOnMap(monitor, OBSERVER, 11);
    await monitor.locator('input[name="bearing-from"]').fill('30');
    await monitor.locator('input[name="bearing-to"]').fill('50');
    await monitor.locator('input[name="distance-min"]').fill('3000');
    await monitor.locator('input[name="distance-max"]').fill('5000');
    await monitor.waitForFunction(() => (window.trucelineMap?.queryRenderedFeatures({ layers: ['tl-draft-fill'] }).length ?? 0) > 0);
    // A compass bearing turns the wedge by the local declination (World Magnetic Model, in the browser).
    const located = monitor.getByTestId('position-decimal').last();
    const trueNorth = await located.textContent();
    await monitor.locator('select[name="bearing-reference"]').selectOption('magnetic');
    await expect.poll(() => located.textContent()).not.toBe(trueNorth);
    await monitor.locator('select[name="bearing-reference"]').selectOption('true');
    await expect.poll(() => located.textContent()).toBe(trueNorth);
    await monitor.getByRole('radio', { name: 'Heard', exact: true }).check();
    await monitor.getByRole('button', { name: 'Save and send' }).click();
    await monitor.getByTestId('saved-notice').waitFor();
    await openOutbox(monitor);
    await expect.poll(() => monitor.locator('.outbox-list li[data-state="confirmed"]').count(), { timeout: 15_000 }).toBe(2);

    const stored = await allReports(server.url);
    const bearing = stored.find((r) => r.category === 'shelling');
    expect(bearing?.locationMethod).toBe('bearing');
    expect(bearing?.bearingTrue).toEqual({ fromDeg: 30, toDeg: 50 });
    expect(bearing?.distanceM).toEqual({ min: 3000, max: 5000 });
  });

  it('shows both reports to the coordinator on the map and in the feed within seconds', async () => {
    await expect.poll(() => coordinator.getByTestId('feed-count').textContent(), { timeout: 10_000 }).toBe('2');
    const ids = (await allReports(server.url)).map((r) => r.id);
    // Zoomed in past the clustering, so each report is its own symbol.
    await centerMap(coordinator, EVENT, 13);
    await expect.poll(async () => (await drawnReportIds(coordinator)).sort(), { timeout: 10_000 }).toEqual([...ids].sort());
  });

  it('renders a description with markup as plain text', async () => {
    await coordinator.locator('.feed-desc').getByText(MARKUP, { exact: true }).waitFor();
    expect(await coordinator.locator('.feed-list img, .feed-list b').count()).toBe(0);
    expect(await coordinator.evaluate(() => (window as Window & { __injected?: number }).__injected)).toBeUndefined();
  });

  it('shows the coordinator who is online, by role', async () => {
    const presence = coordinator.locator('.presence');
    await presence.locator('summary').click();
    await presence.getByRole('heading', { name: 'Field monitor' }).waitFor();
    await presence.getByText('monitor-anna').waitFor();
    await presence.getByText('coord-bo').waitFor();
  });

  it('lets the coordinator verify a report, and the monitor sees the new status', async () => {
    const explosion = coordinator.locator('.feed-list li').filter({ hasText: 'Explosion' });
    await explosion.getByRole('button').click();
    await coordinator.getByRole('heading', { name: 'Explosion' }).waitFor();
    await coordinator.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => coordinator.getByTestId('detail-status').textContent()).toBe('Verified');

    await monitor.getByRole('button', { name: 'Feed' }).locator('visible=true').first().click();
    await monitor.locator('.feed-list li[data-status="verified"]').filter({ hasText: 'Explosion' }).waitFor({ timeout: 10_000 });
  });
});

async function openOutbox(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Outbox' }).locator('visible=true').first().click();
  await page.getByRole('heading', { name: 'Outbox' }).waitFor();
}

import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerMap, drawnReportIds, openReportForm, placeOnMap, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { PASSWORD, createUser, login, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { type BlockingProxy, startWebsocketBlockingProxy } from './support/websocket-blocking-proxy.js';

const HAS_CHROMIUM = chromiumAvailable();
const EVENT = { lon: 37.75, lat: 48.14 };

function reportNear(offset: number) {
  return {
    id: uuidv7(),
    category: 'shelling' as const,
    method: 'heard' as const,
    observedAt: new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    location: { lon: EVENT.lon + offset, lat: EVENT.lat, accuracyM: 50, source: 'gps' as const },
  };
}

// The web client behind a proxy that refuses the WebSocket upgrade: it must fall back to
// long-polling and work as it does over websocket, and the server must keep serving.
describe.runIf(HAS_CHROMIUM)('the web client over long-polling (websocket upgrade refused)', () => {
  let proxy: BlockingProxy;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let otherToken: string;
  let websocketFrames = 0;
  const earlier = [reportNear(0.01), reportNear(0.02), reportNear(0.03)];

  beforeAll(async () => {
    proxy = await startWebsocketBlockingProxy();
    server = await startServerProcess({ ALLOWED_ORIGINS: proxy.url });
    proxy.target = new URL(server.url);
    await createUser(server.url, 'monitor-ira', 'monitor');
    await createUser(server.url, 'monitor-oleh', 'monitor');
    otherToken = (await login(server.url, 'monitor-oleh', PASSWORD)).token;
    // History to catch up on at sign-in.
    for (const report of earlier) await submitReport(server.url, otherToken, report);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('websocket', (ws) => ws.on('framereceived', () => websocketFrames++));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await proxy?.close();
  });

  it('signs in and catches up over long-polling', async () => {
    await signIn(page, proxy.url, 'monitor-ira');
    await expect.poll(() => page.getByTestId('feed-count').textContent(), { timeout: 15_000 }).toBe(String(earlier.length));
    expect(proxy.counts.upgradesRefused).toBeGreaterThan(0);
    expect(proxy.counts.pollingRequests).toBeGreaterThan(0);
  });

  it('submits a report, confirmed by the server, and sees another monitor’s report live', async () => {
    await openReportForm(page);
    await page.getByRole('radio', { name: 'Explosion' }).check();
    await page.getByRole('radio', { name: 'On the map' }).check();
    await placeOnMap(page, EVENT, 13);
    await page.getByRole('radio', { name: 'Seen and heard' }).check();
    await page.getByRole('button', { name: 'Save and send' }).click();
    await page.getByTestId('saved-notice').waitFor();
    await page.getByRole('button', { name: 'Outbox' }).locator('visible=true').first().click();
    await page.locator('.outbox-list li').first().getByText('Confirmed by the server').waitFor({ timeout: 15_000 });

    const live = reportNear(-0.004);
    await submitReport(server.url, otherToken, live);
    // The tab's name gains "(1 new report)" once the report arrives, which may be before this click.
    await page.getByRole('button', { name: /^Feed( \(|$)/ }).locator('visible=true').first().click();
    await expect.poll(() => page.getByTestId('feed-count').textContent(), { timeout: 10_000 }).toBe(String(earlier.length + 2));
    await centerMap(page, EVENT, 13);
    await expect.poll(() => drawnReportIds(page), { timeout: 10_000 }).toContain(live.id);
  });

  it('leaves the server serving, and never got a websocket through', async () => {
    const health = await fetch(`${proxy.url}/api/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(websocketFrames).toBe(0);
  });
});

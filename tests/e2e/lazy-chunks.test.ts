import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
/** Chunks a monitor needs only once signed in (see client/src/app/App.tsx and SignedInApp.tsx). */
const SIGNED_IN_ONLY = [/\/maplibre-[^/]*\.js$/, /\/MapView-[^/]*\.js$/, /\/SignedInApp-[^/]*\.js$/];

/**
 * Monitors open the app on weak links: the sign-in page loads neither the map library nor the
 * signed-in app, and both arrive once someone signs in. The service worker is blocked so that
 * only the page's own requests are counted (the worker precaches everything in the background).
 */
describe.runIf(HAS_CHROMIUM)('the app in chunks', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const scripts: string[] = [];

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-weight', 'monitor');
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, serviceWorkers: 'block' })).newPage();
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('leaves the map and the signed-in app out of the sign-in page', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => SIGNED_IN_ONLY.some((chunk) => chunk.test(s)))).toEqual([]);
  });

  it('loads them once the monitor signs in, and the map draws', async () => {
    await signIn(page, server.url, 'monitor-weight');
    for (const chunk of SIGNED_IN_ONLY) expect(scripts.some((s) => chunk.test(s)), String(chunk)).toBe(true);
  });

  it('offers to load again when the signed-in chunk cannot be fetched (the link dropped), and then opens', async () => {
    // Signed in already (the test before): the reload asks for the signed-in chunk at once.
    const context = page.context();
    await context.route(/\/assets\/SignedInApp-[^/]*\.js$/, (route) => route.abort('internetdisconnected'));
    await page.reload();
    await page.getByRole('alert').getByText('could not be loaded', { exact: false }).waitFor();
    await context.unroute(/\/assets\/SignedInApp-[^/]*\.js$/);
    await page.getByRole('button', { name: 'Load again' }).click();
    await page.getByRole('button', { name: 'New report' }).first().waitFor();
  });
});

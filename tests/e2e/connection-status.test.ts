import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
const SKEW_MINUTES = 12;

describe.runIf(HAS_CHROMIUM)('connection state', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-clock', 'monitor');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // A phone whose clock runs twelve minutes fast.
    await page.addInitScript((skewMs: number) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + skewMs;
    }, SKEW_MINUTES * 60_000);
    await signIn(page, server.url, 'monitor-clock');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows when it last synced, and warns about a device clock minutes off the server', async () => {
    await expect.poll(() => page.getByTestId('connection').textContent()).toMatch(/Online\s*· last synced \d\d:\d\d/);
    await page.getByRole('alert').getByText(`This device's clock is ${SKEW_MINUTES} min off the server's`).waitFor();
  });

  it('says it is reconnecting, with the attempt, when the server goes away', async () => {
    await server.stop();
    await page.getByTestId('connection').getByText(/Reconnecting \(attempt \d+\)/).waitFor({ timeout: 30_000 });
  });
});

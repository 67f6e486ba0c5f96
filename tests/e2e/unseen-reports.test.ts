import type { Browser, BrowserContext, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { PASSWORD, createUser, login, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();

interface NotificationSpy {
  requests: number;
  shown: { title: string; body: string | undefined }[];
}
type SpiedWindow = Window & { __notifications: NotificationSpy; __hidden: boolean };

/**
 * Wraps the page's Notification (which the context's grant makes `granted`) to count
 * permission requests and notifications shown, and lets the test hide the tab: a headless
 * page is always visible.
 */
function spyOnNotificationsAndVisibility(): void {
  const w = window as unknown as SpiedWindow;
  const Real = window.Notification;
  const spy: NotificationSpy = { requests: 0, shown: [] };
  w.__notifications = spy;
  w.__hidden = false;
  class Spy {
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      spy.shown.push({ title, body: options?.body });
    }
    close(): void {}
    static get permission(): NotificationPermission {
      return Real.permission;
    }
    static requestPermission(): Promise<NotificationPermission> {
      spy.requests++;
      return Real.requestPermission();
    }
  }
  Object.defineProperty(window, 'Notification', { value: Spy, configurable: true, writable: true });
  Object.defineProperty(document, 'visibilityState', { get: () => (w.__hidden ? 'hidden' : 'visible'), configurable: true });
  Object.defineProperty(document, 'hidden', { get: () => w.__hidden, configurable: true });
}

// Issue 11 §10: reports from others that arrive while the feed is out of view are counted.
describe.runIf(HAS_CHROMIUM)('unseen reports', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ownToken: string;
  let otherToken: string;
  let n = 0;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-olena', 'monitor');
    await createUser(server.url, 'monitor-petro', 'monitor');
    ownToken = (await login(server.url, 'monitor-olena', PASSWORD)).token;
    otherToken = (await login(server.url, 'monitor-petro', PASSWORD)).token;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await context.grantPermissions(['notifications']);
    await context.addInitScript(spyOnNotificationsAndVisibility);
    page = await context.newPage();
    await signIn(page, server.url, 'monitor-olena');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const report = (token: string) =>
    submitReport(server.url, token, {
      id: uuidv7(),
      category: 'shelling',
      observedAt: new Date(Date.now() - 60_000).toISOString(),
      method: 'heard',
      location: { lon: 37.7 + 0.01 * ++n, lat: 48.1, source: 'map' },
    });
  const title = () => page.title();
  const spy = () => page.evaluate(() => (window as unknown as SpiedWindow).__notifications);
  const setHidden = (hidden: boolean) =>
    page.evaluate((h) => {
      (window as unknown as SpiedWindow).__hidden = h;
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  const feedCount = () => page.getByTestId('feed-count').textContent();

  it("counts another monitor's reports in the title and on the Feed tab while the map is shown, not one's own", async () => {
    expect(await title()).toBe('Truceline');
    await report(otherToken);
    await expect.poll(title, { timeout: 10_000 }).toBe('(1) Truceline');
    await report(otherToken);
    await expect.poll(title, { timeout: 10_000 }).toBe('(2) Truceline');
    await page.getByTestId('unseen-badge').locator('visible=true').getByText('2', { exact: true }).waitFor();

    await report(ownToken);
    // The own report has arrived (the feed behind the map holds it) and the count stays.
    await expect.poll(feedCount, { timeout: 10_000 }).toBe('3');
    expect(await title()).toBe('(2) Truceline');
  });

  it('clears when the feed shows the new rows', async () => {
    await page.getByRole('button', { name: 'Feed' }).locator('visible=true').first().click();
    await expect.poll(feedCount).toBe('3');
    await expect.poll(title, { timeout: 5_000 }).toBe('Truceline');
    expect(await page.getByTestId('unseen-badge').count()).toBe(0);
    expect(await page.getByTestId('unseen-marker').count()).toBe(0);
  });

  it('shows "n new" in the feed while the tab is hidden, and clears it when the person comes back or opens the feed', async () => {
    // Hidden tab: rows that arrive in view are not seen until the person comes back.
    await setHidden(true);
    await report(otherToken);
    await expect.poll(title, { timeout: 10_000 }).toBe('(1) Truceline');
    await page.getByTestId('unseen-marker').getByText('1 new').waitFor();
    await setHidden(false);
    await expect.poll(title, { timeout: 5_000 }).toBe('Truceline');

    await page.getByRole('button', { name: 'Map' }).locator('visible=true').first().click();
    await report(otherToken);
    await expect.poll(title, { timeout: 10_000 }).toBe('(1) Truceline');
    await page.getByRole('button', { name: 'Feed' }).locator('visible=true').first().click();
    await expect.poll(title, { timeout: 5_000 }).toBe('Truceline');
  });

  it('asks for notification permission only after the person opts in, and notifies only while the tab is hidden', async () => {
    // Reports arrived while hidden before, with the permission granted: nothing asked, nothing shown.
    expect(await spy()).toEqual({ requests: 0, shown: [] });
    const notify = page.getByLabel('Notify me while this tab is hidden');
    expect(await notify.isChecked()).toBe(false);

    // A click, not check(): the box turns on only once the browser answers the permission
    // request, so check()'s immediate "did the state change" test would race that answer.
    await notify.click();
    await expect.poll(async () => (await spy()).requests).toBe(1);
    await expect.poll(() => notify.isChecked()).toBe(true);

    // Visible tab: the feed shows it, no notification.
    await report(otherToken);
    await expect.poll(feedCount, { timeout: 10_000 }).toBe('6');
    expect((await spy()).shown).toEqual([]);

    await setHidden(true);
    await report(otherToken);
    await expect.poll(async () => (await spy()).shown, { timeout: 10_000 }).toEqual([{ title: 'New report', body: expect.stringContaining('Shelling') as unknown as string }]);
    // Not for one's own report.
    await report(ownToken);
    await expect.poll(feedCount, { timeout: 10_000 }).toBe('8');
    expect((await spy()).shown).toHaveLength(1);
    await setHidden(false);
    await expect.poll(title, { timeout: 5_000 }).toBe('Truceline');

    // The choice is kept across a reload, without asking again.
    await page.reload();
    await page.getByTestId('connection').getByText('Online', { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Feed' }).locator('visible=true').first().click();
    expect(await page.getByLabel('Notify me while this tab is hidden').isChecked()).toBe(true);
    expect((await spy()).requests).toBe(0);
  });
});

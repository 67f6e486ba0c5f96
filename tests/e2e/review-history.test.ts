import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { createUser, login, PASSWORD, submitReport } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
const VERIFY_NOTE = 'Heard from post 4 and post 7 at the same minute.';
const REJECT_NOTE = 'Post 7 corrected: it was a controlled quarry blast.';

// Issue 12 §1: the review panel shows every review of a report with its note, from the audit log.
describe.runIf(HAS_CHROMIUM)('a coordinator reads a report’s review history', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-history', 'monitor');
    await createUser(server.url, 'coord-history', 'coordinator');
    const { token } = await login(server.url, 'monitor-history', PASSWORD);
    await submitReport(server.url, token, {
      id: uuidv7(),
      category: 'shelling',
      observedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      method: 'heard',
      location: { lon: 37.75, lat: 48.14, source: 'map' },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(page, server.url, 'coord-history');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const history = () => page.getByRole('region', { name: 'Review history' });
  const items = () => history().locator('li');

  it('says a report not yet reviewed has no history', async () => {
    await page.locator('.feed-list li').filter({ hasText: 'Shelling' }).getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Shelling' }).waitFor();
    await history().getByText('Not reviewed yet.').waitFor({ timeout: 10_000 });
  });

  it('adds the verification with who, when and the note as soon as it is made', async () => {
    await page.getByLabel('Note to the reporter').fill(VERIFY_NOTE);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => items().count(), { timeout: 10_000 }).toBe(1);
    const first = items().nth(0);
    expect(await first.locator('.history-head').textContent()).toMatch(/^Verified by coord-history · /);
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await first.locator('.history-note').textContent()).toBe(VERIFY_NOTE);
  });

  it('keeps the verification and adds the confirmed rejection below it, oldest first', async () => {
    await page.getByLabel('Note to the reporter').fill(REJECT_NOTE);
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('alertdialog', { name: 'Reject this report?' }).getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => items().count(), { timeout: 10_000 }).toBe(2);
    expect(await items().locator('.history-head').allTextContents()).toEqual([
      expect.stringMatching(/^Verified by coord-history · /),
      expect.stringMatching(/^Rejected by coord-history · /),
    ]);
    expect(await items().locator('.history-note').allTextContents()).toEqual([VERIFY_NOTE, REJECT_NOTE]);
  });

  it('reads the same history after a reload, from the server', async () => {
    await page.reload();
    await page.locator('.feed-list li').filter({ hasText: 'Shelling' }).getByRole('button').first().click();
    await expect.poll(() => items().locator('.history-note').allTextContents(), { timeout: 15_000 }).toEqual([VERIFY_NOTE, REJECT_NOTE]);
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReportForm, placeOnMap, signIn } from './support/app-page.js';
import { chromiumAvailable, launchChromium } from './support/browser.js';
import { allReports, createUser } from './support/rest.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const HAS_CHROMIUM = chromiumAvailable();
const EVENT = { lon: 37.75, lat: 48.14 };
const NOTE = 'Same explosion as the 14:02 report from the school; reported twice.';

// Issue 11 §9: a rejection says why, is confirmed first, and the monitor reads it on their report.
describe.runIf(HAS_CHROMIUM)('a coordinator rejects with a note, the monitor reads it', () => {
  let server: ServerProcess;
  let browser: Browser;
  let monitor: Page;
  let coordinator: Page;

  beforeAll(async () => {
    server = await startServerProcess();
    await createUser(server.url, 'monitor-iryna', 'monitor');
    await createUser(server.url, 'coord-taras', 'coordinator');
    browser = await launchChromium();
    monitor = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })).newPage();
    coordinator = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(monitor, server.url, 'monitor-iryna');
    await signIn(coordinator, server.url, 'coord-taras');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const stored = async () => (await allReports(server.url))[0];

  it('the monitor sends a report and the outbox says the server confirmed it', async () => {
    await openReportForm(monitor);
    await monitor.getByRole('radio', { name: 'Explosion' }).check();
    await monitor.getByRole('radio', { name: 'On the map' }).check();
    await placeOnMap(monitor, EVENT, 13);
    await monitor.getByRole('radio', { name: 'Seen and heard' }).check();
    await monitor.getByRole('button', { name: 'Save and send' }).click();
    await expect.poll(async () => (await allReports(server.url)).length, { timeout: 15_000 }).toBe(1);
    await openOutbox(monitor);
    await monitor.locator('.outbox-list li').first().getByText('Confirmed by the server').waitFor({ timeout: 15_000 });
  });

  it('refuses to reject without a note, pointing at the note field', async () => {
    await coordinator.locator('.feed-list li').filter({ hasText: 'Explosion' }).getByRole('button').click();
    await coordinator.getByRole('heading', { name: 'Explosion' }).waitFor();
    await coordinator.getByRole('button', { name: 'Reject' }).click();
    const note = coordinator.getByLabel('Note to the reporter');
    await coordinator.getByRole('alert').getByText('Write why it is rejected').waitFor();
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    expect(await note.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await coordinator.getByRole('alertdialog').count()).toBe(0);
    expect((await stored())?.status).toBe('pending');
  });

  it('asks for confirmation, and Escape cancels it without closing the report', async () => {
    await coordinator.getByLabel('Note to the reporter').fill(NOTE);
    await coordinator.getByRole('button', { name: 'Reject' }).click();
    const dialog = coordinator.getByRole('alertdialog', { name: 'Reject this report?' });
    await dialog.waitFor();
    await dialog.getByText(NOTE).waitFor();
    // The confirming button has the focus: the keyboard alone can answer.
    expect(await dialog.getByRole('button', { name: 'Reject' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await coordinator.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await coordinator.getByRole('heading', { name: 'Explosion' }).waitFor();
    expect(await coordinator.getByTestId('detail-status').textContent()).toBe('Pending review');
    expect((await stored())?.status).toBe('pending');
  });

  it('rejects once confirmed with the keyboard, and shows the note in the detail', async () => {
    await coordinator.getByRole('button', { name: 'Reject' }).click();
    await coordinator.getByRole('alertdialog').waitFor();
    await coordinator.keyboard.press('Enter');
    await expect.poll(() => coordinator.getByTestId('detail-status').textContent(), { timeout: 10_000 }).toBe('Rejected');
    expect(await coordinator.getByTestId('detail-review-note').textContent()).toBe(NOTE);
    expect(await stored()).toMatchObject({ status: 'rejected', review: { note: NOTE } });
  });

  it("shows the monitor 'Rejected' and the note in their outbox entry and in the feed", async () => {
    const entry = monitor.locator('.outbox-list li').first();
    await entry.getByTestId('outbox-state').getByText('Rejected by a coordinator').waitFor({ timeout: 10_000 });
    expect(await entry.getByText('Confirmed by the server').count()).toBe(0);
    expect(await entry.getByTestId('outbox-review-note').textContent()).toContain(NOTE);

    await monitor.getByRole('button', { name: 'Feed' }).locator('visible=true').first().click();
    const row = monitor.locator('.feed-list li[data-status="rejected"]').filter({ hasText: 'Explosion' });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('.status').textContent()).toBe('Rejected');
    expect(await row.getByTestId('feed-review-note').textContent()).toBe(`Rejected: ${NOTE}`);
  });

  it('keeps the note after a reload, from the device cache or the catch-up', async () => {
    await monitor.reload();
    await monitor.getByTestId('connection').getByText('Online', { exact: true }).waitFor({ timeout: 20_000 });
    await openOutbox(monitor);
    await monitor.locator('.outbox-list li').first().getByTestId('outbox-review-note').getByText(NOTE).waitFor({ timeout: 10_000 });
  });
});

async function openOutbox(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Outbox' }).locator('visible=true').first().click();
  await page.getByRole('heading', { name: 'Outbox' }).waitFor();
}

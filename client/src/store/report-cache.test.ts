import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDeviceDb, deviceDb } from '../outbox/device-db';
import { createReport } from '../test/fixtures';
import { useConnection } from './connection-store';
import { useLiveData } from './live-data-store';
import { clearReportCache, PAGE_SIZE, startReportCache } from './report-cache';

const USER = 'u1';

async function written(): Promise<{ pages: number; reports: number; syncedSeq: unknown }> {
  const db = await deviceDb();
  const pages = await db.getAll('reportPages');
  return { pages: pages.length, reports: pages.reduce((n, p) => n + p.reports.length, 0), syncedSeq: (await db.get('meta', 'syncedSeq'))?.value };
}

/** Waits for the cache's delayed, sliced write. */
async function settle(): Promise<void> {
  await vi.waitFor(async () => expect((await written()).syncedSeq).toBe(useLiveData.getState().syncedSeq), { timeout: 8_000, interval: 50 });
}

beforeEach(async () => {
  await closeDeviceDb();
  globalThis.indexedDB = new IDBFactory();
  useLiveData.getState().clear();
});
afterEach(() => useLiveData.getState().clear());

describe('report cache', () => {
  it('writes reports in pages and reads them back after a reload', async () => {
    const stop = await startReportCache(USER);
    const reports = Array.from({ length: PAGE_SIZE * 2 + 7 }, () => createReport());
    useLiveData.getState().reportsArrived(reports);
    useLiveData.getState().syncedTo(reports.at(-1)?.seq ?? 0);
    await settle();
    expect(await written()).toMatchObject({ pages: 3, reports: reports.length });

    // A changed report rewrites its page; no page gains a duplicate.
    const first = reports[0];
    if (!first) throw new Error('no report');
    useLiveData.getState().reportsArrived([{ ...first, status: 'verified', seq: first.seq + 10_000 }]);
    useLiveData.getState().syncedTo(first.seq + 10_000);
    await settle();
    stop();
    expect(await written()).toMatchObject({ pages: 3, reports: reports.length });

    useLiveData.getState().clear();
    const again = await startReportCache(USER);
    const held = useLiveData.getState();
    expect(Object.keys(held.reports)).toHaveLength(reports.length);
    expect(held.reports[first.id]?.status).toBe('verified');
    expect(held.syncedSeq).toBe(first.seq + 10_000);
    again();
  });

  it('moves a version-1 cache (a record per report) into pages', async () => {
    const db = await deviceDb();
    const old = Array.from({ length: 12 }, () => createReport());
    for (const r of old) await db.put('reports', r);
    await db.put('meta', { key: 'cacheUser', value: USER });
    const stop = await startReportCache(USER);
    expect(Object.keys(useLiveData.getState().reports)).toHaveLength(12);
    await vi.waitFor(async () => expect(await db.count('reports')).toBe(0), { timeout: 5_000, interval: 50 });
    expect((await written()).reports).toBe(12);
    stop();
  });

  it('writes nothing while a catch-up sync runs, and all of it once the sync ends', async () => {
    const stop = await startReportCache(USER);
    useConnection.getState().set({ catchingUp: true });
    const reports = Array.from({ length: 30 }, () => createReport());
    useLiveData.getState().reportsArrived(reports);
    useLiveData.getState().syncedTo(reports.at(-1)?.seq ?? 0);
    await new Promise((r) => setTimeout(r, 800));
    expect(await written()).toMatchObject({ reports: 0, syncedSeq: undefined });
    useConnection.getState().set({ catchingUp: false });
    await settle();
    expect((await written()).reports).toBe(30);
    stop();
  });

  it('forgets everything on clear, and a cleared cache is not written back', async () => {
    const stop = await startReportCache(USER);
    useLiveData.getState().reportsArrived([createReport(), createReport()]);
    await clearReportCache();
    stop();
    await new Promise((r) => setTimeout(r, 700));
    expect((await written()).reports).toBe(0);
  });

  it('remembers when the device last caught up, for the header after an offline reload, and forgets it with the cache', async () => {
    const syncedAt = Date.UTC(2026, 11, 1, 9, 41);
    const stop = await startReportCache(USER);
    useConnection.getState().set({ catchingUp: true });
    const reports = [createReport()];
    useLiveData.getState().reportsArrived(reports);
    useLiveData.getState().syncedTo(reports[0]?.seq ?? 0);
    useConnection.getState().set({ lastSyncedAt: syncedAt, catchingUp: false });
    await settle();
    stop();

    // The reload: a new page knows nothing until the cache tells it.
    useLiveData.getState().clear();
    useConnection.getState().set({ lastSyncedAt: undefined });
    const again = await startReportCache(USER);
    expect(useConnection.getState().lastSyncedAt).toBe(syncedAt);
    again();

    // Another account's cache is not its time either.
    useConnection.getState().set({ lastSyncedAt: undefined });
    const other = await startReportCache('u2');
    expect(useConnection.getState().lastSyncedAt).toBeUndefined();
    other();
  });
});

import type { Report } from '@truceline/shared';
import { deviceDb } from '../outbox/device-db';
import { useLiveData } from './live-data-store';

const SYNCED_SEQ_KEY = 'syncedSeq';
const CACHE_USER_KEY = 'cacheUser';

/**
 * Keeps the reports the device has seen in IndexedDB, so the map and feed open with data when
 * offline, and a reload resumes syncing from where it stopped instead of from zero.
 * Returns a dispose function that stops persisting.
 */
export async function startReportCache(userId: string): Promise<() => void> {
  const db = await deviceDb();
  const owner = await db.get('meta', CACHE_USER_KEY);
  if (owner && owner.value !== userId) {
    // Another account's view (it may include reporters and observer positions this one may not see).
    await clearReportCache();
  } else {
    const [reports, synced] = await Promise.all([db.getAll('reports'), db.get('meta', SYNCED_SEQ_KEY)]);
    useLiveData.getState().reportsArrived(reports);
    if (typeof synced?.value === 'number') useLiveData.getState().syncedTo(synced.value);
  }
  await db.put('meta', { key: CACHE_USER_KEY, value: userId });

  let pending = new Map<string, Report>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = async (): Promise<void> => {
    timer = undefined;
    const batch = pending;
    pending = new Map();
    const tx = db.transaction(['reports', 'meta'], 'readwrite');
    for (const r of batch.values()) void tx.objectStore('reports').put(r);
    void tx.objectStore('meta').put({ key: SYNCED_SEQ_KEY, value: useLiveData.getState().syncedSeq });
    await tx.done;
  };
  const unsubscribe = useLiveData.subscribe((state, prev) => {
    if (state.reports === prev.reports && state.syncedSeq === prev.syncedSeq) return;
    for (const [id, r] of Object.entries(state.reports)) if (prev.reports[id] !== r) pending.set(id, r);
    // One transaction per burst: a sync of thousands of reports is one write, not thousands.
    timer ??= setTimeout(() => void write().catch((e: unknown) => console.warn('report cache: write failed', e)), 500);
  });
  return () => {
    unsubscribe();
    if (timer) {
      clearTimeout(timer);
      void write().catch((e: unknown) => console.warn('report cache: final write failed', e));
    }
  };
}

/** Wipes cached reports (a revoked session, or another account signing in). The outbox is kept. */
export async function clearReportCache(): Promise<void> {
  const db = await deviceDb();
  const tx = db.transaction(['reports', 'meta'], 'readwrite');
  void tx.objectStore('reports').clear();
  void tx.objectStore('meta').delete(SYNCED_SEQ_KEY);
  void tx.objectStore('meta').delete(CACHE_USER_KEY);
  await tx.done;
  useLiveData.getState().clear();
}

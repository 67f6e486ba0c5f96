import type { Report } from '@truceline/shared';
import { deviceDb, type ReportPage } from '../outbox/device-db';
import { useConnection } from './connection-store';
import { EMPTY_LIVE_DATA } from './live-data-reducer';
import { useLiveData } from './live-data-store';

const SYNCED_SEQ_KEY = 'syncedSeq';
/** When the device last caught up (epoch ms): the header says it after an offline reload too. */
const SYNCED_AT_KEY = 'syncedAt';
const CACHE_USER_KEY = 'cacheUser';

/** Reports per cached page: one IndexedDB record each (a record per report cost a write each). */
export const PAGE_SIZE = 500;
/** Pages written in one transaction; between transactions the page gets its main thread back. */
const PAGES_PER_WRITE = 10;
/** A burst of changes (a commit's live events) is written once, this long after it began. */
const WRITE_DELAY_MS = 500;
/**
 * What a catch-up sync applied is written this long after it ended: the map and feed are still
 * drawing it then, and the cache (background work: ~2 s of cloning for 100,000 reports) can wait.
 * A page closed before then resumes the sync from the last written `seq`.
 */
const WRITE_AFTER_SYNC_MS = 3_000;

/**
 * Lets the page draw before the next slice of writing: the cache is background work, and
 * cloning 100,000 reports into IndexedDB took ~3 s of the main thread while the map was drawing them.
 */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 5_000 });
    else setTimeout(resolve, 0);
  });
}

/**
 * The cached reports in pages: new reports fill the last page, a changed report rewrites its own
 * page. Only dirty pages are written, a few per transaction, so caching 100,000 reports is a few
 * hundred writes spread over idle time instead of 100,000 writes on the main thread.
 */
class PagedReports {
  private readonly pages = new Map<number, Map<string, Report>>();
  private readonly pageOf = new Map<string, number>();
  private nextKey = 0;
  readonly dirty = new Set<number>();

  load(key: number, reports: readonly Report[]): void {
    const page = new Map<string, Report>();
    for (const r of reports) {
      page.set(r.id, r);
      this.pageOf.set(r.id, key);
    }
    this.pages.set(key, page);
    if (key >= this.nextKey) this.nextKey = key + 1;
  }

  put(report: Report): void {
    let key = this.pageOf.get(report.id);
    if (key === undefined) {
      key = this.nextKey - 1;
      const open = this.pages.get(key);
      if (!open || open.size >= PAGE_SIZE) {
        key = this.nextKey++;
        this.pages.set(key, new Map());
      }
      this.pageOf.set(report.id, key);
    }
    this.pages.get(key)?.set(report.id, report);
    this.dirty.add(key);
  }

  record(key: number): { key: number; reports: Report[] } {
    return { key, reports: [...(this.pages.get(key)?.values() ?? [])] };
  }

  reset(): void {
    this.pages.clear();
    this.pageOf.clear();
    this.dirty.clear();
    this.nextKey = 0;
  }
}

/** Puts the cached reports into `paged`: version 2's pages, then version 1's one-record-per-report store if it still holds any. */
function readCached(pages: readonly ReportPage[], legacy: readonly Report[], paged: PagedReports): Report[] {
  const reports: Report[] = [];
  for (const page of pages) {
    paged.load(page.key, page.reports);
    for (const r of page.reports) reports.push(r);
  }
  // Version 1's records move into pages at the first write (and that write empties the old store).
  for (const r of legacy) {
    paged.put(r);
    reports.push(r);
  }
  return reports;
}

/**
 * Keeps the reports the device has seen in IndexedDB, so the map and feed open with data when
 * offline, and a reload resumes syncing from where it stopped instead of from zero.
 * Returns a dispose function that stops persisting.
 */
export async function startReportCache(userId: string): Promise<() => void> {
  const db = await deviceDb();
  const paged = new PagedReports();
  let legacy = false;
  // Everything read at once: on a page busy drawing its first frames every IndexedDB round trip
  // waits for a turn of the main thread, and the catch-up sync waits for this.
  const [owner, pages, legacyReports, synced, syncedAt] = await Promise.all([
    db.get('meta', CACHE_USER_KEY),
    db.getAll('reportPages'),
    db.getAll('reports'),
    db.get('meta', SYNCED_SEQ_KEY),
    db.get('meta', SYNCED_AT_KEY),
  ]);
  if (owner && owner.value !== userId) {
    // Another account's view (it may include reporters and observer positions this one may not see).
    await clearReportCache();
  } else {
    legacy = legacyReports.length > 0;
    useLiveData.getState().reportsArrived(readCached(pages, legacyReports, paged));
    if (typeof synced?.value === 'number') useLiveData.getState().syncedTo(synced.value);
    // A sync of this page that already ended is newer than what the cache remembers.
    if (typeof syncedAt?.value === 'number' && useConnection.getState().lastSyncedAt === undefined) {
      useConnection.getState().set({ lastSyncedAt: syncedAt.value });
    }
  }
  // Not awaited: IndexedDB runs read-write transactions on the same store in the order they
  // were made, so this lands before any page this cache writes.
  db.put('meta', { key: CACHE_USER_KEY, value: userId }).catch((e: unknown) => console.warn('report cache: owner not written', e));

  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | undefined;
  /** Bumped when the live data is cleared: a write still running for the old data stops. */
  let generation = 0;

  /**
   * Writes the dirty pages, a few per transaction with the page's turn between them. The synced
   * `seq` is written with the last of them: every report up to it is in a page by then (the sync
   * applies reports before it moves the `seq`), so a reload never resumes past an unwritten report.
   */
  const write = async (slices: boolean): Promise<void> => {
    const gen = generation;
    const seq = useLiveData.getState().syncedSeq;
    const syncedAt = useConnection.getState().lastSyncedAt;
    const keys = [...paged.dirty];
    paged.dirty.clear();
    for (let i = 0; i === 0 || i < keys.length; i += PAGES_PER_WRITE) {
      if (slices) await yieldToPage();
      if (gen !== generation) return;
      const last = i + PAGES_PER_WRITE >= keys.length;
      const tx = db.transaction(['reportPages', 'reports', 'meta'], 'readwrite');
      for (const key of keys.slice(i, i + PAGES_PER_WRITE)) void tx.objectStore('reportPages').put(paged.record(key));
      if (last) {
        if (legacy) void tx.objectStore('reports').clear();
        void tx.objectStore('meta').put({ key: SYNCED_SEQ_KEY, value: seq });
        if (syncedAt !== undefined) void tx.objectStore('meta').put({ key: SYNCED_AT_KEY, value: syncedAt });
      }
      try {
        await tx.done;
      } catch (error) {
        // Not written: these pages stay dirty, and the synced `seq` was not moved past them.
        for (const key of keys.slice(i)) paged.dirty.add(key);
        throw error;
      }
      if (last) legacy = false;
    }
  };
  const schedule = (delayMs = WRITE_DELAY_MS): void => {
    // During a catch-up sync nothing is written: what it applied stays dirty until it ends (and
    // its synced seq with it), so the sync's reports are written once, after the map has them.
    if (useConnection.getState().catchingUp) return;
    timer ??= setTimeout(() => {
      timer = undefined;
      if (writing) {
        // One write at a time; what changed meanwhile goes in the next.
        void writing.then(() => schedule());
        return;
      }
      writing = write(true)
        .catch((e: unknown) => console.warn('report cache: write failed', e))
        .finally(() => {
          writing = undefined;
        });
    }, delayMs);
  };

  if (legacy) schedule();
  const unsubscribeConnection = useConnection.subscribe((state, prev) => {
    if (prev.catchingUp && !state.catchingUp) schedule(WRITE_AFTER_SYNC_MS);
  });
  const unsubscribe = useLiveData.subscribe((state, prev) => {
    if (state.version !== prev.version) {
      if (state.reports !== prev.reports && state.reports === EMPTY_LIVE_DATA.reports) {
        // Cleared (sign-out, a revoked session): forget the pages too.
        generation++;
        paged.reset();
        return;
      }
      for (const r of state.changed) paged.put(r);
    } else if (state.syncedSeq === prev.syncedSeq) return;
    // One write per burst: a sync of thousands of reports is a few transactions, not thousands.
    schedule();
  });
  return () => {
    unsubscribe();
    unsubscribeConnection();
    if (timer || paged.dirty.size > 0) {
      clearTimeout(timer);
      timer = undefined;
      void (writing ?? Promise.resolve())
        .then(() => write(false))
        .catch((e: unknown) => console.warn('report cache: final write failed', e));
    }
  };
}

/** Wipes cached reports (a revoked session, or another account signing in). The outbox is kept. */
export async function clearReportCache(): Promise<void> {
  const db = await deviceDb();
  const tx = db.transaction(['reports', 'reportPages', 'meta'], 'readwrite');
  void tx.objectStore('reports').clear();
  void tx.objectStore('reportPages').clear();
  void tx.objectStore('meta').delete(SYNCED_SEQ_KEY);
  void tx.objectStore('meta').delete(SYNCED_AT_KEY);
  void tx.objectStore('meta').delete(CACHE_USER_KEY);
  await tx.done;
  useLiveData.getState().clear();
}

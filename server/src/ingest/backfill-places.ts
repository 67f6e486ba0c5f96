import type { Logger } from 'pino';
import type { PlaceOf } from '../places/places.js';
import type { PlaceHolderKind, Store } from '../storage/store.js';

const BATCH = 1_000;
const LOG_EVERY = 50_000;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Gives the reports and incidents stored before places existed their place, once, at start
 * (the next start finds none left), under the writer lock like every seq-assigning write;
 * each row gets a new `seq`, so clients that catch up receive the place like any other change. Computing places on read instead would cost every read, and the
 * catch-up page passes stored bodies on as text without parsing them.
 */
export async function backfillPlaces(store: Store, placeOf: PlaceOf, log: Logger): Promise<void> {
  for (const kind of ['report', 'incident'] as const satisfies readonly PlaceHolderKind[]) {
    const startedAt = Date.now();
    let done = 0;
    let after = '';
    for (;;) {
      const rows = await store.withoutPlace(kind, after, BATCH);
      if (rows.length === 0) break;
      const places = rows.flatMap((row) => {
        const place = placeOf(row);
        return place ? [{ id: row.id, place }] : [];
      });
      // Each row gets a seq: the write lock keeps those in commit order with every other writer's.
      await store.withWriteLock(() => store.setPlaces(kind, places));
      const before = done;
      done += rows.length;
      after = (rows[rows.length - 1] as { id: string }).id;
      if (Math.floor(done / LOG_EVERY) > Math.floor(before / LOG_EVERY)) log.info({ kind, done }, 'adding places to what was stored before them');
      // Health says 503 meanwhile; the turn lets it (and anything else) answer.
      await nextTurn();
    }
    if (done > 0) log.info({ kind, done, ms: Date.now() - startedAt }, 'places added to what was stored before them');
  }
}

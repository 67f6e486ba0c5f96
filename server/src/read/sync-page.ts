import type { SyncResponse, User } from '@truceline/shared';
import { reportFor } from '../auth/access.js';
import type { Store } from '../storage/store.js';

/**
 * One page of the catch-up (`reports:sync` and `GET /api/sync`): every report with
 * `seq > afterSeq` once, ascending, each as `viewer` may see it. `headSeq` must be read before
 * the page: everything up to it is committed, so `lastSeq` never claims more than was read.
 */
export async function syncPage(store: Store, headSeq: number, viewer: Pick<User, 'id' | 'role'>, afterSeq: number, limit: number): Promise<SyncResponse> {
  const rows = await store.reportsAfterSeq(afterSeq, limit + 1);
  const hasMore = rows.length > limit;
  const reports = rows.slice(0, limit).map((r) => reportFor(viewer, r));
  const lastReturned = reports.at(-1)?.seq ?? afterSeq;
  return { reports, lastSeq: hasMore ? lastReturned : Math.max(headSeq, lastReturned), hasMore };
}

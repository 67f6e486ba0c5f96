import type { SyncResponse, User } from '@truceline/shared';
import { can, reportFor } from '../auth/access.js';
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
  return { reports, lastSeq: lastSeqOf(headSeq, afterSeq, reports.at(-1)?.seq, hasMore), hasMore };
}

/** `syncPage`'s answer as JSON text, with its `lastSeq` and `hasMore` (for headers). */
export interface SyncPageJson {
  json: string;
  lastSeq: number;
  hasMore: boolean;
  /** How many reports the page holds. */
  count: number;
}

/**
 * The same page already serialised, for `GET /api/sync`. A viewer who sees every report in full
 * gets the stored reports spliced into the answer as text (`reportsAfterSeqJson`), not parsed
 * and serialised again; anyone else gets `syncPage` serialised, redacted as always.
 */
export async function syncPageJson(store: Store, headSeq: number, viewer: Pick<User, 'id' | 'role'>, afterSeq: number, limit: number): Promise<SyncPageJson> {
  if (!can(viewer, 'report:seeAllReporters')) {
    const page = await syncPage(store, headSeq, viewer, afterSeq, limit);
    return { json: JSON.stringify(page), lastSeq: page.lastSeq, hasMore: page.hasMore, count: page.reports.length };
  }
  const rows = await store.reportsAfterSeqJson(afterSeq, limit + 1);
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const lastSeq = lastSeqOf(headSeq, afterSeq, page.at(-1)?.seq, hasMore);
  return { json: `{"reports":[${page.map((r) => r.json).join(',')}],"lastSeq":${lastSeq},"hasMore":${hasMore}}`, lastSeq, hasMore, count: page.length };
}

function lastSeqOf(headSeq: number, afterSeq: number, lastReturned: number | undefined, hasMore: boolean): number {
  const last = lastReturned ?? afterSeq;
  return hasMore ? last : Math.max(headSeq, last);
}

import type { Report } from '@truceline/shared';

/** Newest observation first, then the larger id (the order of the server's lists). */
export function newerFirst(a: Report, b: Report): number {
  if (a.observedAt !== b.observedAt) return a.observedAt < b.observedAt ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

export interface FilteredReports {
  /** How many reports pass the filters. */
  total: number;
  /** The newest of them, at most `limit`, in `newerFirst` order. */
  newest: Report[];
}

/**
 * The `limit` newest of `reports` that pass `keep`, without sorting them all: the feed shows a few
 * hundred rows of what may be hundreds of thousands of reports, and a full sort on every update
 * was most of its cost.
 */
export function newestMatching(reports: Iterable<Report>, keep: (r: Report) => boolean, limit: number): FilteredReports {
  const top: Report[] = [];
  let total = 0;
  for (const r of reports) {
    if (!keep(r)) continue;
    total++;
    if (top.length === limit) {
      const last = top[limit - 1];
      if (!last || newerFirst(r, last) >= 0) continue;
      top.pop();
    }
    // Binary search for the insertion point: `top` stays sorted.
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const held = top[mid];
      if (held && newerFirst(held, r) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, r);
  }
  return { total, newest: top };
}

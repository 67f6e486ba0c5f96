import type { Category } from '@truceline/shared';
import type { AreaWrite } from '../storage/store.js';

/** One report joining (+1) or leaving (−1) an area's counts, as a batch plans it. */
export interface AreaCountChange {
  areaId: string;
  reportId: string;
  /** The cell's centre, used when the area is first seen. */
  center: { lon: number; lat: number };
  category: Category;
  delta: 1 | -1;
  observedAtMs: number;
}

/** What the store must be asked before the rows can be computed. */
export interface AreaReads {
  /** Every area the changes touch (their current rows). */
  areaIds: string[];
  /** Areas some report leaves, and those reports: the latest observation may have been theirs. */
  removals: { areaIds: string[]; reportIds: string[] };
}

/** A report added and taken out again within one batch (a correction of a new report, say) nets to nothing. */
function netByReport(changes: readonly AreaCountChange[]): Map<string, { change: AreaCountChange; net: number }> {
  const net = new Map<string, { change: AreaCountChange; net: number }>();
  for (const change of changes) {
    const entry = net.get(change.reportId) ?? { change, net: 0 };
    entry.net += change.delta;
    net.set(change.reportId, entry);
  }
  return net;
}

export function areaReads(changes: readonly AreaCountChange[]): AreaReads {
  const areaIds = new Set<string>();
  const removedAreas = new Set<string>();
  const removedReports: string[] = [];
  for (const change of changes) areaIds.add(change.areaId);
  for (const [reportId, { change, net }] of netByReport(changes)) {
    if (net < 0) {
      removedAreas.add(change.areaId);
      removedReports.push(reportId);
    }
  }
  return { areaIds: [...areaIds], removals: { areaIds: [...removedAreas], reportIds: removedReports } };
}

/**
 * The areas' rows after a batch, from their current rows (`current`, absent for an area seen the
 * first time), the batch's changes, and — for areas a report leaves — the latest observation of
 * the reports still counted there before the batch's own additions (`latestRemaining`, from the
 * store's `latestObservedInAreas` with the leaving reports excluded). Categories that drop to zero
 * leave `byCategory` rather than show as 0. One row per area, in order of first change.
 */
export function areaWrites(
  changes: readonly AreaCountChange[],
  current: ReadonlyMap<string, AreaWrite>,
  latestRemaining: ReadonlyMap<string, number | null>,
): AreaWrite[] {
  const rows = new Map<string, AreaWrite & { removed: boolean; latestAdded: number | null }>();
  for (const change of changes) {
    if (rows.has(change.areaId)) continue;
    const row = current.get(change.areaId);
    rows.set(change.areaId, {
      areaId: change.areaId,
      center: row?.center ?? change.center,
      count: row?.count ?? 0,
      byCategory: { ...row?.byCategory },
      lastObservedAtMs: row?.lastObservedAtMs ?? null,
      removed: false,
      latestAdded: null,
    });
  }
  for (const { change, net } of netByReport(changes).values()) {
    if (net === 0) continue;
    const row = rows.get(change.areaId) as AreaWrite & { removed: boolean; latestAdded: number | null };
    row.count += net;
    row.byCategory[change.category] = (row.byCategory[change.category] ?? 0) + net;
    if (net > 0) row.latestAdded = Math.max(row.latestAdded ?? change.observedAtMs, change.observedAtMs);
    else row.removed = true;
  }
  return [...rows.values()].map(({ removed, latestAdded, ...row }) => {
    const before = removed ? (latestRemaining.get(row.areaId) ?? null) : row.lastObservedAtMs;
    const last = before === null ? latestAdded : latestAdded === null ? before : Math.max(before, latestAdded);
    return {
      ...row,
      byCategory: Object.fromEntries(Object.entries(row.byCategory).filter(([, n]) => n > 0)) as Partial<Record<Category, number>>,
      lastObservedAtMs: last,
    };
  });
}

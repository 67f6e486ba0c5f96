import type { Wedge } from './region.js';
import type { Category } from './taxonomy-import.js';

/**
 * One non-rejected report as the grouping engine sees it. Only what the link rule and the
 * incident summary need, so the engine stays independent of the report storage format.
 */
export interface Member {
  readonly id: string;
  readonly category: Category;
  /** Observation window start, epoch ms. */
  readonly startMs: number;
  /** Observation window end, epoch ms, `>= startMs`. */
  readonly endMs: number;
  readonly lon: number;
  readonly lat: number;
  /** Uncertainty circle radius in metres (0 = exact point). */
  readonly radiusM: number;
  /** Who filed it; incidents count distinct reporters as `monitorCount`. */
  readonly reporterId: string;
  /**
   * Bearing reports only: the wedge they describe. The link rule then uses the wedge (not the
   * circle above, which only bounds it) as the report's region.
   */
  readonly wedge?: Wedge | undefined;
}

/**
 * What one `add`/`remove` changed, so the caller can persist incident ids and push
 * updates to clients without diffing the whole store.
 */
export interface GroupingChange {
  /** Incident the added member now belongs to; `undefined` for `remove`. */
  incidentId: string | undefined;
  /** Incidents that still exist and whose summary changed (deduped). Includes newly created ones. */
  updated: string[];
  /** Incidents that no longer exist because they merged into `into`. */
  merged: { id: string; into: string }[];
  /** Already-present members whose incident id changed (never the member being added). */
  moved: { memberId: string; from: string; to: string }[];
  /** Incidents that no longer exist because their last member was removed. */
  dissolved: string[];
}

/**
 * The public face of an incident, derived only from its members so that it is identical
 * whatever order the members arrived in.
 */
export interface IncidentSummary {
  id: string;
  location: { lon: number; lat: number };
  /** Uncertainty of `location` in metres (see `summarizeIncident`). */
  uncertaintyM: number;
  locationMethod: 'centroid' | 'triangulated';
  /** When `triangulated`: the bearing reports the fix uses and the widest angle at which two of them cross. */
  triangulation?: { reportIds: string[]; crossingAngleDeg: number };
  reportCount: number;
  /** Distinct `reporterId`s. */
  monitorCount: number;
  /** At most {@link SUMMARY_REPORT_IDS_LIMIT}: the earliest members by (startMs, id). */
  reportIds: string[];
  /** Distinct, sorted. */
  categories: Category[];
  /** ISO 8601 of the smallest `startMs`. */
  firstObservedAt: string;
  /** ISO 8601 of the largest `endMs`. */
  lastObservedAt: string;
}

/** Cap on `IncidentSummary.reportIds`, so a 10,000-report incident does not bloat every push. */
export const SUMMARY_REPORT_IDS_LIMIT = 50;

/**
 * Total order on members used everywhere a tie must be broken deterministically:
 * `startMs` ascending, then `id` by UTF-16 code units (not locale, which could vary by host).
 */
export function compareMembers(
  a: { readonly startMs: number; readonly id: string },
  b: { readonly startMs: number; readonly id: string },
): number {
  if (a.startMs !== b.startMs) return a.startMs - b.startMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

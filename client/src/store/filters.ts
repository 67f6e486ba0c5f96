import type { Category, Report, ReportStatus } from '@truceline/shared';

export const TIME_PRESETS = ['1h', '6h', '24h', '7d', 'all', 'custom'] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

const PRESET_MS: Record<Exclude<TimePreset, 'all' | 'custom'>, number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

export interface Filters {
  preset: TimePreset;
  /** Custom window (epoch ms), used when `preset` is `custom`. */
  since: number | undefined;
  until: number | undefined;
  /** Empty means every category. */
  categories: readonly Category[];
  /** Empty means every status. */
  statuses: readonly ReportStatus[];
  onlyMine: boolean;
}

export const DEFAULT_FILTERS: Filters = {
  preset: '24h',
  since: undefined,
  until: undefined,
  categories: [],
  statuses: [],
  onlyMine: false,
};

/** The `[since, until)` window the filters select at `now`. */
export function timeWindow(f: Filters, now: number): { since?: number; until?: number } {
  if (f.preset === 'all') return {};
  if (f.preset === 'custom') {
    return { ...(f.since !== undefined ? { since: f.since } : {}), ...(f.until !== undefined ? { until: f.until } : {}) };
  }
  return { since: now - PRESET_MS[f.preset] };
}

/**
 * Whether a report passes the filters. Same semantics as the server's list filters (the
 * observation window overlaps `[since, until)`), so the map, the feed and the export agree.
 */
export function matchesFilters(r: Report, f: Filters, userId: string | undefined, now: number): boolean {
  return reportFilter(f, userId, now)(r);
}

/**
 * `matchesFilters` for many reports: the window and the sets are worked out once, and a report's
 * times are parsed only when a window is set (the map and the feed test every report held).
 */
export function reportFilter(f: Filters, userId: string | undefined, now: number): (r: Report) => boolean {
  const categories = f.categories.length > 0 ? new Set<string>(f.categories) : undefined;
  const statuses = f.statuses.length > 0 ? new Set<string>(f.statuses) : undefined;
  const { since, until } = timeWindow(f, now);
  const timed = since !== undefined || until !== undefined;
  if (!categories && !statuses && !f.onlyMine && !timed) return () => true;
  return (r) => {
    if (categories && !categories.has(r.category)) return false;
    if (statuses && !statuses.has(r.status)) return false;
    if (f.onlyMine && r.reporter?.id !== userId) return false;
    if (!timed) return true;
    const start = Date.parse(r.observedAt);
    const end = r.observedUntil ? Date.parse(r.observedUntil) : start;
    if (since !== undefined && end < since) return false;
    if (until !== undefined && start >= until) return false;
    return true;
  };
}

/** The filters as the query string of `GET /api/reports` and `/api/export.geojson`. */
export function filtersToQuery(f: Filters, now: number): URLSearchParams {
  const q = new URLSearchParams();
  const { since, until } = timeWindow(f, now);
  if (since !== undefined) q.set('since', new Date(since).toISOString());
  if (until !== undefined) q.set('until', new Date(until).toISOString());
  if (f.categories.length > 0) q.set('category', f.categories.join(','));
  if (f.statuses.length > 0) q.set('status', f.statuses.join(','));
  if (f.onlyMine) q.set('reporter', 'me');
  return q;
}

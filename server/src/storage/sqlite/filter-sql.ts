import { REPORT_LIMITS } from '@truceline/shared';
import type { ReportFilter } from '../store.js';

export interface SqlWhere {
  sql: string;
  params: (string | number)[];
}

/**
 * The WHERE clause for the contract's report filters over table alias `r`.
 * `since` selects windows that end at or after it; windows last at most 24 h, so
 * `observed_at >= since − 24 h` holds too and lets the index on `observed_at` bound the scan.
 */
export function filterSql(filter: ReportFilter): SqlWhere {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const { bbox } = filter;
  if (bbox) {
    clauses.push('r.lat BETWEEN ? AND ?');
    params.push(bbox.minLat, bbox.maxLat);
    if (bbox.minLon <= bbox.maxLon) {
      clauses.push('r.lon BETWEEN ? AND ?');
      params.push(bbox.minLon, bbox.maxLon);
    } else {
      clauses.push('(r.lon >= ? OR r.lon <= ?)');
      params.push(bbox.minLon, bbox.maxLon);
    }
  }
  if (filter.sinceMs !== undefined) {
    clauses.push('r.observed_end >= ? AND r.observed_at >= ?');
    params.push(filter.sinceMs, filter.sinceMs - REPORT_LIMITS.maxWindowMs);
  }
  if (filter.untilMs !== undefined) {
    clauses.push('r.observed_at < ?');
    params.push(filter.untilMs);
  }
  if (filter.categories && filter.categories.length > 0) {
    clauses.push(`r.category IN (${filter.categories.map(() => '?').join(',')})`);
    params.push(...filter.categories);
  }
  if (filter.statuses && filter.statuses.length > 0) {
    clauses.push(`r.status IN (${filter.statuses.map(() => '?').join(',')})`);
    params.push(...filter.statuses);
  }
  if (filter.reporterId !== undefined) {
    clauses.push('r.reporter_id = ?');
    params.push(filter.reporterId);
  }
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

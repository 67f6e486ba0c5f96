import type { ReportFilter } from '../store.js';

export interface SqlWhere {
  sql: string;
  params: (string | number)[];
}

/**
 * The WHERE clause for the store's report filters over table alias `r`: a field-by-field
 * translation (bounds the rules imply, such as `observedFromMs`, are filled above, in
 * `storage/report-filter.ts`).
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
    clauses.push('r.observed_end >= ?');
    params.push(filter.sinceMs);
  }
  if (filter.observedFromMs !== undefined) {
    clauses.push('r.observed_at >= ?');
    params.push(filter.observedFromMs);
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

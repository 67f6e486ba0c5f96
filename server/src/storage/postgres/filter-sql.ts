import type { ReportFilter } from '../store.js';

/** A WHERE clause with `$n` placeholders numbered from `params.length + 1` of the caller's list. */
export class PgParams {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The contract's report filters over table alias `r`, translated field by field (decision 5:
 * rules such as the 24-hour window's index bound arrive already applied, as `observedFromMs`).
 */
export function pgFilterSql(filter: ReportFilter, params: PgParams): string {
  const clauses: string[] = [];
  const { bbox } = filter;
  if (bbox) {
    clauses.push(`r.lat BETWEEN ${params.add(bbox.minLat)} AND ${params.add(bbox.maxLat)}`);
    if (bbox.minLon <= bbox.maxLon) clauses.push(`r.lon BETWEEN ${params.add(bbox.minLon)} AND ${params.add(bbox.maxLon)}`);
    else clauses.push(`(r.lon >= ${params.add(bbox.minLon)} OR r.lon <= ${params.add(bbox.maxLon)})`);
  }
  if (filter.sinceMs !== undefined) clauses.push(`r.observed_end >= ${params.add(filter.sinceMs)}`);
  if (filter.observedFromMs !== undefined) clauses.push(`r.observed_at >= ${params.add(filter.observedFromMs)}`);
  if (filter.untilMs !== undefined) clauses.push(`r.observed_at < ${params.add(filter.untilMs)}`);
  if (filter.categories && filter.categories.length > 0) clauses.push(`r.category = ANY(${params.add(filter.categories)}::text[])`);
  if (filter.statuses && filter.statuses.length > 0) clauses.push(`r.status = ANY(${params.add(filter.statuses)}::text[])`);
  if (filter.reporterId !== undefined) clauses.push(`r.reporter_id = ${params.add(filter.reporterId)}`);
  return clauses.length > 0 ? clauses.join(' AND ') : 'true';
}

/** Whether the filter selects every report (the unfiltered map reads the stored area rows). */
export function isEmptyFilter(filter: ReportFilter): boolean {
  return pgFilterSql(filter, new PgParams()) === 'true';
}

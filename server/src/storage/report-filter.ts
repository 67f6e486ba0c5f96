import { REPORT_LIMITS } from '@truceline/shared';
import type { ReportFilter } from './store.js';

/**
 * The filter with the bounds its rules imply, so an engine can use its index on observation
 * starts: `since` selects windows that *end* at or after it, and a window lasts at most
 * `REPORT_LIMITS.maxWindowMs` (24 h), so every match also *starts* at or after `since − 24 h`.
 * The one place that rule lives; engines only translate the fields.
 */
export function withIndexBounds(filter: ReportFilter): ReportFilter {
  if (filter.sinceMs === undefined) return filter;
  const implied = filter.sinceMs - REPORT_LIMITS.maxWindowMs;
  return { ...filter, observedFromMs: filter.observedFromMs === undefined ? implied : Math.max(filter.observedFromMs, implied) };
}

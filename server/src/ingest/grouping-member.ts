import type { Report } from '@truceline/shared';
import type { Member } from '../grouping/index.js';

/** The grouping engine's view of a stored report. */
export function memberOf(report: Report, reporterId: string): Member {
  const startMs = Date.parse(report.observedAt);
  return {
    id: report.id,
    category: report.category,
    startMs,
    endMs: report.observedUntil === undefined ? startMs : Date.parse(report.observedUntil),
    lon: report.location.lon,
    lat: report.location.lat,
    radiusM: report.uncertaintyM,
    reporterId,
  };
}

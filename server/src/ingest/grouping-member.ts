import type { Report } from '@truceline/shared';
import type { Member, MemberSight } from '../grouping/index.js';

/** The grouping engine's view of a stored report. */
export function memberOf(report: Report, reporterId: string): Member {
  const startMs = Date.parse(report.observedAt);
  const wedge = sightOf(report);
  return {
    id: report.id,
    category: report.category,
    startMs,
    endMs: report.observedUntil === undefined ? startMs : Date.parse(report.observedUntil),
    lon: report.location.lon,
    lat: report.location.lat,
    radiusM: report.uncertaintyM,
    reporterId,
    ...(wedge && { wedge }),
  };
}

/** What triangulation needs of a report located by bearing; a direct location has none. */
export function sightOf(report: Report): MemberSight | undefined {
  const { observer, bearingTrue, distanceM } = report;
  if (report.locationMethod !== 'bearing' || !observer || !bearingTrue || !distanceM) return undefined;
  return {
    observerLon: observer.lon,
    observerLat: observer.lat,
    ...(observer.accuracyM !== undefined && { accuracyM: observer.accuracyM }),
    fromDeg: bearingTrue.fromDeg,
    toDeg: bearingTrue.toDeg,
    minM: distanceM.min,
    maxM: distanceM.max,
  };
}

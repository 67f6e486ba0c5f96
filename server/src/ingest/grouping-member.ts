import type { Report } from '@truceline/shared';
import type { Member, Wedge } from '../grouping/index.js';

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
    wedge: wedgeOf(report),
  };
}

/** The wedge of a bearing report, in true degrees (what `bearingTrue` holds after normalising). */
export function wedgeOf(report: Report): Wedge | undefined {
  const { observer, bearingTrue, distanceM } = report;
  if (report.locationMethod !== 'bearing' || !observer || !bearingTrue || !distanceM) return undefined;
  return {
    observerLon: observer.lon,
    observerLat: observer.lat,
    accuracyM: observer.accuracyM ?? 0,
    fromDeg: bearingTrue.fromDeg,
    toDeg: bearingTrue.toDeg,
    minM: distanceM.min,
    maxM: distanceM.max,
  };
}

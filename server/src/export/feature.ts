import type { ExportProperties, Report } from '@truceline/shared';

/**
 * One report as an RFC 7946 Feature with flat, always-present properties (`null` when
 * unknown): GIS tools build one attribute table from the first features they read, so a key
 * that appears only later would be dropped or break the import.
 */
export function reportToFeature(report: Report) {
  const properties: ExportProperties = {
    category: report.category,
    observedAt: report.observedAt,
    observedUntil: report.observedUntil ?? null,
    receivedAt: report.receivedAt,
    status: report.status,
    assessment: report.assessment ?? null,
    weapon: report.weapon ?? null,
    method: report.method,
    count: report.count ?? null,
    countUnit: report.countUnit,
    countApprox: report.countApprox ?? null,
    killed: report.casualties?.killed ?? null,
    injured: report.casualties?.injured ?? null,
    confidence: report.confidence,
    description: report.description ?? null,
    reporter: report.reporter?.username ?? null,
    reporterId: report.reporter?.id ?? null,
    incidentId: report.incidentId,
    areaId: report.areaId,
    locationMethod: report.locationMethod,
    uncertaintyM: report.uncertaintyM,
    observerLon: report.observer?.lon ?? null,
    observerLat: report.observer?.lat ?? null,
    bearingFromDeg: report.bearingTrue?.fromDeg ?? null,
    bearingToDeg: report.bearingTrue?.toDeg ?? null,
    distanceMinM: report.distanceM?.min ?? null,
    distanceMaxM: report.distanceM?.max ?? null,
    supersedes: report.supersedes ?? null,
    place: report.place?.text ?? null,
    placeAdmin1: report.place?.admin1 ?? null,
    placeDistanceM: report.place?.distanceM ?? null,
    placeBearingDeg: report.place?.bearingDeg ?? null,
    reviewNote: report.review?.note ?? null,
    reviewedAt: report.review?.at ?? null,
  };
  return {
    type: 'Feature' as const,
    id: report.id,
    geometry: { type: 'Point' as const, coordinates: [report.location.lon, report.location.lat] },
    properties,
  };
}

import { destinationPoint, greatCircleDistanceM, type IncidentState, type Report, sectorPolygon, sectorWidthDeg } from '@truceline/shared';
import type { Feature, FeatureCollection, LineString, Point, Polygon } from 'geojson';
import { unwrapPolygon } from './unwrap-polygon';

/** What each feature of a triangulation shows; the layers pick them by `role`. */
export type TriangulationRole = 'ray' | 'wedge' | 'observer' | 'circle' | 'fix';

/** Vertices of the drawn uncertainty circle: smooth at any zoom the circle is visible at. */
const CIRCLE_STEPS = 72;

/**
 * How a triangulated incident was fixed: its point and 95 % circle, and each contributing
 * bearing as a ray (single bearing) or wedge (sector) from its observer. A bearing is drawn out
 * past the fix (to its largest stated distance, or beyond the far side of the circle) so the
 * crossing shows. Only reports the viewer holds with their observer are drawn: monitors receive
 * no other monitor's observer, bearing or distance, so they see the fix and its circle alone.
 * Everything is unwrapped beside its own start so it is drawn in one piece across the antimeridian.
 */
export function triangulationFeatures(
  incident: IncidentState | undefined,
  reports: Readonly<Record<string, Report>>,
): FeatureCollection<Point | LineString | Polygon, { id: string; role: TriangulationRole }> {
  if (!incident?.triangulation || incident.locationMethod !== 'triangulated') return { type: 'FeatureCollection', features: [] };
  const fix = incident.location;
  const features: Feature<Point | LineString | Polygon, { id: string; role: TriangulationRole }>[] = [];
  for (const id of incident.triangulation.reportIds) {
    const r = reports[id];
    if (!r?.observer || !r.bearingTrue || !r.distanceM) continue;
    const reach = Math.max(r.distanceM.max, greatCircleDistanceM(r.observer, fix) + incident.uncertaintyM);
    if (sectorWidthDeg(r.bearingTrue.fromDeg, r.bearingTrue.toDeg) === 0) {
      const end = destinationPoint(r.observer, reach, r.bearingTrue.fromDeg);
      // The end moved by whole turns to lie beside the observer (see unwrapPolygon).
      const endLon = end.lon + 360 * Math.round((r.observer.lon - end.lon) / 360);
      features.push({
        type: 'Feature',
        properties: { id, role: 'ray' },
        geometry: { type: 'LineString', coordinates: [[r.observer.lon, r.observer.lat], [endLon, end.lat]] },
      });
    } else {
      const wedge = sectorPolygon(r.observer, r.bearingTrue, { min: Math.min(r.distanceM.min, reach), max: reach });
      features.push({ type: 'Feature', properties: { id, role: 'wedge' }, geometry: unwrapPolygon(wedge, r.observer.lon) });
    }
    features.push({ type: 'Feature', properties: { id, role: 'observer' }, geometry: { type: 'Point', coordinates: [r.observer.lon, r.observer.lat] } });
  }
  const ring: number[][] = [];
  for (let i = 0; i <= CIRCLE_STEPS; i++) {
    // Bearings counted down, so the ring runs counter-clockwise (RFC 7946's right-hand rule).
    const p = destinationPoint(fix, incident.uncertaintyM, 360 - ((i % CIRCLE_STEPS) * 360) / CIRCLE_STEPS);
    ring.push([p.lon, p.lat]);
  }
  features.push({ type: 'Feature', properties: { id: incident.id, role: 'circle' }, geometry: unwrapPolygon({ type: 'Polygon', coordinates: [ring] }, fix.lon) });
  features.push({ type: 'Feature', properties: { id: incident.id, role: 'fix' }, geometry: { type: 'Point', coordinates: [fix.lon, fix.lat] } });
  return { type: 'FeatureCollection', features };
}

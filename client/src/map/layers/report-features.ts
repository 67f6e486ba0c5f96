import { sectorPolygon, type Report } from '@truceline/shared';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { unwrapPolygon } from './unwrap-polygon';

export interface ReportPointProps {
  /** Also the feature's id, through the source's `promoteId`. */
  id: string;
  category: Report['category'];
  status: Report['status'];
  /** 1 while the report is newly arrived (drawn with a halo); absent otherwise. */
  fresh?: 1;
}

/**
 * Reports as map points; everything else the map needs is looked up by id when clicked. Each
 * feature is as small as the layers allow: `setData` copies every one to MapLibre's worker
 * (0.7 s for 100,000 on a phone-class core), so no top-level id beside `promoteId` and no
 * `fresh: 0`.
 */
export function reportPoints(reports: readonly Report[], fresh: Readonly<Record<string, number>>): FeatureCollection<Point, ReportPointProps> {
  return {
    type: 'FeatureCollection',
    features: reports.map((r) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [r.location.lon, r.location.lat] },
      properties: fresh[r.id] === undefined ? { id: r.id, category: r.category, status: r.status } : { id: r.id, category: r.category, status: r.status, fresh: 1 },
    })),
  };
}

/**
 * The wedge of a bearing report, from the same shared geometry the server locates it with.
 * Only viewers who receive the observer (coordinators, the reporter) can see it; others get none.
 * Unwrapped beside the observer so a wedge across the antimeridian is drawn as one piece.
 */
export function reportWedge(r: Report): Feature<Polygon | Point>[] {
  if (!r.observer || !r.bearingTrue || !r.distanceM) return [];
  return [
    { type: 'Feature', properties: { id: r.id, role: 'wedge' }, geometry: unwrapPolygon(sectorPolygon(r.observer, r.bearingTrue, r.distanceM), r.observer.lon) },
    { type: 'Feature', properties: { id: r.id, role: 'observer' }, geometry: { type: 'Point', coordinates: [r.observer.lon, r.observer.lat] } },
  ];
}

import { sectorPolygon, type Report } from '@truceline/shared';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';

export interface ReportPointProps {
  id: string;
  category: Report['category'];
  status: Report['status'];
  /** 1 while the report is newly arrived (drawn with a halo). */
  fresh: number;
}

/** Reports as map points; everything else the map needs is looked up by id when clicked. */
export function reportPoints(reports: readonly Report[], fresh: Readonly<Record<string, number>>): FeatureCollection<Point, ReportPointProps> {
  return {
    type: 'FeatureCollection',
    features: reports.map((r) => ({
      type: 'Feature',
      id: r.id,
      geometry: { type: 'Point', coordinates: [r.location.lon, r.location.lat] },
      properties: { id: r.id, category: r.category, status: r.status, fresh: fresh[r.id] === undefined ? 0 : 1 },
    })),
  };
}

/**
 * The wedge of a bearing report, from the same shared geometry the server locates it with.
 * Only viewers who receive the observer (coordinators, the reporter) can see it; others get none.
 */
export function reportWedge(r: Report): Feature<Polygon | Point>[] {
  if (!r.observer || !r.bearingTrue || !r.distanceM) return [];
  return [
    { type: 'Feature', properties: { id: r.id, role: 'wedge' }, geometry: sectorPolygon(r.observer, r.bearingTrue, r.distanceM) },
    { type: 'Feature', properties: { id: r.id, role: 'observer' }, geometry: { type: 'Point', coordinates: [r.observer.lon, r.observer.lat] } },
  ];
}

import type { Area, IncidentState } from '@truceline/shared';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import { cellToBoundary } from 'h3-js';

/** Area cells as H3 hexagons, shaded by their report count. */
export function areaHexagons(areas: readonly Area[]): FeatureCollection<Polygon, { id: string; count: number }> {
  return {
    type: 'FeatureCollection',
    features: areas.map((a) => {
      const ring = cellToBoundary(a.id, true);
      return {
        type: 'Feature',
        properties: { id: a.id, count: a.count },
        geometry: { type: 'Polygon', coordinates: [[...ring, ring[0] ?? [a.center.lon, a.center.lat]]] },
      };
    }),
  };
}

export function incidentPoints(incidents: readonly IncidentState[]): FeatureCollection<Point, { id: string; reportCount: number }> {
  return {
    type: 'FeatureCollection',
    features: incidents.map((i) => ({
      type: 'Feature',
      properties: { id: i.id, reportCount: i.reportCount },
      geometry: { type: 'Point', coordinates: [i.location.lon, i.location.lat] },
    })),
  };
}

import type { Area } from '@truceline/shared';
import type { FeatureCollection, Polygon } from 'geojson';
import { cellToBoundary } from 'h3-js';

// Loaded on demand (see map-controller): H3 is a large library, and only the areas layer needs it.

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

import type { Area } from '@truceline/shared';
import type { FeatureCollection, Polygon } from 'geojson';
import { cellToBoundary } from 'h3-js';
import { unwrapPolygon } from './unwrap-polygon';

// Loaded on demand (see map-controller): H3 is a large library, and only the areas layer needs it.

/**
 * Area cells as H3 hexagons, shaded by their report count. H3 gives boundaries in [-180, 180],
 * so a cell on the antimeridian is unwrapped around its centre like a wedge, or MapLibre would
 * draw it as a band around the world.
 */
export function areaHexagons(areas: readonly Area[]): FeatureCollection<Polygon, { id: string; count: number }> {
  return {
    type: 'FeatureCollection',
    features: areas.map((a) => {
      // GeoJSON mode already closes the ring (first position repeated last).
      const ring = cellToBoundary(a.id, true);
      return {
        type: 'Feature',
        properties: { id: a.id, count: a.count },
        geometry: unwrapPolygon({ type: 'Polygon', coordinates: [ring] }, a.center.lon),
      };
    }),
  };
}

import type { PolygonGeometry } from '@truceline/shared';

/**
 * A polygon's longitudes made continuous for drawing: each vertex is moved by whole turns
 * (±360°) to lie within 180° of the one before it, the first within 180° of `nearLon` (the
 * observer, so the wedge is drawn beside the observer's own point).
 *
 * Why: the shared geometry returns valid positions (lon in [-180, 180)), so a wedge across
 * the antimeridian has vertices at 179.99° and -179.99°, and MapLibre would join them with an
 * edge running the long way round, a band around the world. MapLibre accepts longitudes
 * beyond ±180° for exactly this continuity and draws the part past 180° on the neighbouring
 * world copy. This is the map layer's business only: nothing unwrapped is stored or sent.
 *
 * A ring that winds around a pole cannot be made continuous and closed at once; it stays
 * continuous and is drawn wrong, but only beyond Web Mercator's ±85°, where nothing is drawn.
 */
export function unwrapPolygon(polygon: PolygonGeometry, nearLon: number): PolygonGeometry {
  return {
    type: 'Polygon',
    coordinates: polygon.coordinates.map((ring) => {
      let previous = nearLon;
      return ring.map(([lon = NaN, lat = NaN]) => {
        const unwrapped = lon + 360 * Math.round((previous - lon) / 360);
        previous = unwrapped;
        return [unwrapped, lat];
      });
    }),
  };
}

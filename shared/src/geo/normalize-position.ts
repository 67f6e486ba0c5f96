import type { GeoJsonPosition } from './sector.js';

/**
 * Maps a longitude into [-180, 180).
 *
 * Why: turf's `destination` adds the bearing's longitude change to the observer's longitude
 * without wrapping (an observer at 180° looking east lands at 180.01°, one at the pole at up
 * to 360°), and a map tap on a world copy reports 190° for 170° W. Stored, queried and
 * exported positions must all use one range, or a whole-world bbox misses them and GeoJSON
 * readers reject them. 180° itself becomes -180° (the same meridian), so the range is
 * half-open and every meridian has exactly one longitude.
 *
 * Values already in range are returned unchanged (bit-identical, no rounding noise), so
 * normalising never moves an ordinary report. Non-finite input gives `NaN`; callers that can
 * receive one validate first (see {@link normalizePosition}).
 */
export function normalizeLon(lon: number): number {
  if (lon >= -180 && lon < 180) return lon;
  // Double modulo because JavaScript's % keeps the dividend's sign; a tiny negative that
  // rounds to 360 after the shift folds back to 0, so the result is never 180.
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/**
 * The same place as `[lon, lat]` with lon in [-180, 180) and lat in [-90, 90]: the one
 * normalisation every derived position (a located report, a wedge vertex, a map tap) goes
 * through before it is stored, sent or drawn.
 *
 * A latitude past a pole is folded back over it (lat 100° is 80° on the opposite meridian,
 * lon + 180°), so the result is the same point on the sphere, not a clamped one. turf never
 * produces such latitudes; the fold keeps the helper total for any finite input.
 *
 * @throws RangeError when either coordinate is not a finite number: a `NaN` position would
 * otherwise be stored silently and never match any bbox.
 */
export function normalizePosition([lon, lat]: readonly [number, number]): GeoJsonPosition {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new RangeError(`position must be finite numbers, got [${String(lon)}, ${String(lat)}]`);
  }
  if (lat >= -90 && lat <= 90) return [normalizeLon(lon), lat];
  // Latitude is periodic in 360° along a meridian circle; reduce it, then fold over the pole.
  const reduced = normalizeLon(lat);
  if (reduced > 90) return [normalizeLon(lon + 180), 180 - reduced];
  if (reduced < -90) return [normalizeLon(lon + 180), -180 - reduced];
  return [normalizeLon(lon), reduced];
}

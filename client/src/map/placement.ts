/**
 * How precise a position placed with the map's crosshair is. The crosshair itself is exact; what
 * limits the monitor is what the map shows at its scale: nothing narrower than a symbol or a road,
 * about this many CSS pixels, can be told apart, so the aim is no finer than that. The size of the
 * screen does not enter: a wider map at the same zoom shows more ground, not finer detail.
 */
export const AIM_PX = 22;

/** A placed position coarser than this cannot tell one street, field or position from the next. */
export const COARSE_RADIUS_M = 500;

/** Earth's circumference at the equator in metres, as Web Mercator draws it. */
const EQUATOR_M = 40_075_016.7;

/** Metres one CSS pixel covers at `lat` and `zoom` (Web Mercator, MapLibre's 512 px tiles). */
export function metresPerPixel(lat: number, zoom: number): number {
  return (EQUATOR_M * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** The radius, in whole metres (at least 1), that a position placed at the map's centre carries. */
export function placementRadiusM(view: { lat: number; zoom: number }): number {
  return Math.max(1, Math.round(metresPerPixel(view.lat, view.zoom) * AIM_PX));
}

/** Whether a placed position is too coarse to report without zooming in. */
export function isCoarse(radiusM: number): boolean {
  return radiusM > COARSE_RADIUS_M;
}

import { EARTH_RADIUS_M } from './earth.js';

const RAD = Math.PI / 180;

/** A point in a local plane, metres east (`x`) and north (`y`) of the frame's origin. */
export interface PlanarPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * A local azimuthal equidistant frame around `origin`: each point is placed at its true
 * great-circle distance from the origin, in its true initial bearing. Why this projection and
 * not a plain equirectangular one: region distances are taken between wedges up to 50 km long,
 * and the equirectangular scale error grows to ~1 % (hundreds of metres) at that range, while the
 * azimuthal equidistant one distorts lengths only by ~(ρ/R)²/6 (under 0.01 % within 100 km of
 * the origin), far below any margin. Longitudes are unwrapped relative to the origin, so a pair
 * either side of the antimeridian lands side by side.
 */
export function localFrame(origin: { readonly lon: number; readonly lat: number }): (lon: number, lat: number) => PlanarPoint {
  const phi0 = origin.lat * RAD;
  const sin0 = Math.sin(phi0);
  const cos0 = Math.cos(phi0);
  return (lon, lat) => {
    const phi = lat * RAD;
    // Δλ in (-π, π]: the short way round, which is what unwraps the antimeridian.
    let dLon = (lon - origin.lon) % 360;
    if (dLon > 180) dLon -= 360;
    else if (dLon <= -180) dLon += 360;
    const dl = dLon * RAD;
    const sinPhi = Math.sin(phi);
    const cosPhi = Math.cos(phi);
    const cosC = sin0 * sinPhi + cos0 * cosPhi * Math.cos(dl);
    const c = Math.acos(Math.max(-1, Math.min(1, cosC)));
    if (c < 1e-12) {
      // At the origin the bearing is undefined; the first-order terms give the right answer.
      return { x: EARTH_RADIUS_M * dl * cosPhi, y: EARTH_RADIUS_M * (phi - phi0) };
    }
    const k = (EARTH_RADIUS_M * c) / Math.sin(c);
    return { x: k * cosPhi * Math.sin(dl), y: k * (cos0 * sinPhi - sin0 * cosPhi * Math.cos(dl)) };
  };
}

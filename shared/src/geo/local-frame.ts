import { normalizePosition } from './normalize-position.js';
import type { LonLat } from './sector.js';

/** turf's sphere (mean Earth radius), so these points agree with `locateFromBearing`'s. */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** A point in a {@link LocalFrame}: metres east (`x`) and north (`y`) of the frame's centre. */
export interface PlanePoint {
  x: number;
  y: number;
}

/** The point `meters` from `origin` along the great circle leaving it at `bearingDeg` (true), normalised. */
export function destinationPoint(origin: LonLat, meters: number, bearingDeg: number): LonLat {
  const d = meters / EARTH_RADIUS_M;
  const φ1 = origin.lat * RAD;
  const θ = bearingDeg * RAD;
  const sinφ2 = Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ);
  const φ2 = Math.asin(Math.max(-1, Math.min(1, sinφ2)));
  const Δλ = Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * sinφ2);
  const [lon, lat] = normalizePosition([origin.lon + Δλ / RAD, φ2 / RAD]);
  return { lon, lat };
}

/** Great-circle distance in metres (haversine). Indifferent to longitude wrapping. */
export function greatCircleDistanceM(a: LonLat, b: LonLat): number {
  const h =
    Math.sin(((b.lat - a.lat) * RAD) / 2) ** 2 +
    Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(((b.lon - a.lon) * RAD) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial true bearing of the great circle from `a` to `b`, degrees in [0, 360). */
export function initialBearingDeg(a: LonLat, b: LonLat): number {
  const φ1 = a.lat * RAD;
  const φ2 = b.lat * RAD;
  const Δλ = (b.lon - a.lon) * RAD;
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  const deg = Math.atan2(y, x) / RAD;
  return deg < 0 ? deg + 360 : deg;
}

/**
 * The azimuthal-equidistant projection around `origin`, closed form: each point lands at its
 * true great-circle distance from the origin, in its true initial bearing (`x` east, `y`
 * north, metres). Lengths away from the origin are off by only ~(ρ/R)²/6 (under 0.01 % within
 * 100 km), where an equirectangular plane errs by ~1 % (hundreds of metres on a 50 km wedge).
 * Longitudes are taken the short way round, so a pair either side of the antimeridian lands side
 * by side. Returned as a function so a caller projecting many points computes the origin's
 * terms once. The one projection of both sides: the grouping's region distances and
 * {@link LocalFrame} use it.
 */
export function azimuthalProjection(origin: LonLat): (lon: number, lat: number) => PlanePoint {
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

/**
 * An azimuthal-equidistant plane around `center`: every point keeps its true distance and
 * bearing from the centre. Why this and not plain lon/lat scaled by cos(lat): it has no seam at
 * the antimeridian (a point at 179.99° and one at -179.99° are 2 km apart here, not 40,000) and no
 * blow-up towards the poles (at 70° N a degree of longitude is 38 km, and the cos(lat) scale
 * differs across a 50 km scene); within the tens of kilometres a bearing report spans, distances
 * between two non-central points are off by well under a metre per kilometre.
 */
export class LocalFrame {
  private readonly project: (lon: number, lat: number) => PlanePoint;

  constructor(readonly center: LonLat) {
    this.project = azimuthalProjection(center);
  }

  /**
   * A frame centred on the spherical mean of `points` (the normalised sum of their unit
   * vectors), which is well defined across the antimeridian and at high latitude, where an
   * average of longitudes is not.
   */
  static around(points: readonly LonLat[]): LocalFrame {
    let x = 0;
    let y = 0;
    let z = 0;
    for (const p of points) {
      const φ = p.lat * RAD;
      const λ = p.lon * RAD;
      x += Math.cos(φ) * Math.cos(λ);
      y += Math.cos(φ) * Math.sin(λ);
      z += Math.sin(φ);
    }
    const first = points[0];
    if (!first) throw new RangeError('a local frame needs at least one point');
    const norm = Math.hypot(x, y, z);
    // Points spread over the whole globe have no meaningful centre; the first one will do.
    if (norm < 1e-9) return new LocalFrame(first);
    const [lon, lat] = normalizePosition([Math.atan2(y, x) / RAD, Math.asin(z / norm) / RAD]);
    return new LocalFrame({ lon, lat });
  }

  toPlane(p: LonLat): PlanePoint {
    return this.project(p.lon, p.lat);
  }

  fromPlane(p: PlanePoint): LonLat {
    const d = Math.hypot(p.x, p.y);
    if (d === 0) return { ...this.center };
    return destinationPoint(this.center, d, Math.atan2(p.x, p.y) / RAD);
  }
}

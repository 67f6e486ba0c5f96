import { destination } from '@turf/destination';
import { distance as turfDistance } from '@turf/distance';
import { point } from '@turf/helpers';
import { sectorCenterDeg, sectorWidthDeg } from './angles.js';
import { normalizeLon, normalizePosition } from './normalize-position.js';

/** A WGS84 position. Named fields (not a tuple) so lon/lat order can't be swapped silently. */
export interface LonLat {
  lon: number;
  lat: number;
}

/**
 * Where the reporter stood. `accuracyM` is the device's horizontal accuracy in
 * metres; it widens the reported uncertainty because the whole sector moves
 * with the observer's own position error.
 */
export interface Observer extends LonLat {
  accuracyM?: number;
}

/**
 * Directions (true degrees) in which the event was seen, swept clockwise from
 * `fromDeg` to `toDeg`. Equal bounds mean a single bearing.
 */
export interface BearingSector {
  fromDeg: number;
  toDeg: number;
}

/** Estimated distance from the observer to the event, in metres (`min` ≤ `max`). */
export interface DistanceRange {
  min: number;
  max: number;
}

/**
 * Minimal GeoJSON Polygon geometry. Defined here rather than imported from
 * `geojson` because that types package is only a transitive dependency of turf
 * and is not resolvable from this workspace; it is structurally compatible.
 */
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: number[][][];
}

/** `[lon, lat]`, the GeoJSON position order. */
export type GeoJsonPosition = [number, number];

const LOCATION_DECIMALS = 1e7;
/** Float noise (metres) ignored before rounding the uncertainty up. */
const CEIL_EPSILON_M = 1e-6;

function assertInputs(sector: BearingSector, range: DistanceRange, stepDeg: number): void {
  if (![sector.fromDeg, sector.toDeg, range.min, range.max].every(Number.isFinite)) {
    throw new RangeError('sector bounds and distances must be finite numbers');
  }
  if (range.min < 0 || range.min > range.max) {
    throw new RangeError(`invalid distance range ${range.min}..${range.max}`);
  }
  if (!(stepDeg > 0) || !Number.isFinite(stepDeg)) {
    throw new RangeError(`stepDeg must be a positive number, got ${stepDeg}`);
  }
}

/**
 * turf's destination, unwrapped: the longitude is the observer's plus the change, so it can
 * leave [-180, 180). Kept unwrapped inside this module because orientation (planar signed
 * area) and the ring's deduplication need contiguous longitudes; every exported result goes
 * through `normalizePosition` last.
 */
function dest(origin: LonLat, meters: number, bearingDeg: number): GeoJsonPosition {
  const [lon, lat] = destination([origin.lon, origin.lat], meters, bearingDeg, {
    units: 'meters',
  }).geometry.coordinates;
  return [lon ?? NaN, lat ?? NaN];
}

/**
 * The open (unclosed, unoriented) boundary of the annular sector: the outer arc
 * at `max` from `fromDeg` clockwise to `toDeg`, then the inner arc at `min` back
 * to `fromDeg`.
 *
 * Exists so that the drawn polygon and the uncertainty radius are derived from
 * the very same sampled arc and can never disagree. Arcs are split into equal
 * steps of at most `stepDeg` and always include both bounds exactly. Degenerate
 * parts are collapsed instead of repeated: an inner arc at `min = 0` is the
 * observer itself, and a single bearing yields one point per arc.
 *
 * Every position is normalised (lon in [-180, 180), lat in [-90, 90]); an arc that crosses
 * the antimeridian therefore jumps from about 180 to about -180 between two neighbours.
 */
export function sectorVertices(
  observer: LonLat,
  sector: BearingSector,
  range: DistanceRange,
  stepDeg = 1,
): GeoJsonPosition[] {
  return unwrappedSectorVertices(observer, sector, range, stepDeg).map(normalizePosition);
}

/** {@link sectorVertices} before normalisation: one contiguous run of longitudes. */
function unwrappedSectorVertices(
  observer: LonLat,
  sector: BearingSector,
  range: DistanceRange,
  stepDeg: number,
): GeoJsonPosition[] {
  assertInputs(sector, range, stepDeg);
  const width = sectorWidthDeg(sector.fromDeg, sector.toDeg);
  const steps = width === 0 ? 0 : Math.ceil(width / stepDeg);
  const bearings: number[] = [];
  for (let i = 0; i <= steps; i++) {
    bearings.push(i === steps ? sector.fromDeg + width : sector.fromDeg + (i * width) / steps);
  }
  const outer = bearings.map((b) => dest(observer, range.max, b));
  const inner =
    range.min === 0
      ? [dest(observer, 0, 0)]
      : bearings.map((b) => dest(observer, range.min, b)).reverse();
  return [...outer, ...inner];
}

/**
 * Drops consecutive duplicate positions (e.g. the turn of a `min = max` sector,
 * where the inner arc starts where the outer one ends), closes the ring and
 * pads degenerate rings to the minimum of four positions.
 */
function closeRing(open: GeoJsonPosition[]): GeoJsonPosition[] {
  const ring: GeoJsonPosition[] = [];
  for (const p of open) {
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  }
  const first = ring[0] as GeoJsonPosition;
  const last = ring[ring.length - 1] as GeoJsonPosition;
  if (ring.length === 1 || last[0] !== first[0] || last[1] !== first[1]) ring.push(first);
  // Zero-area leftovers (e.g. a 1-step arc out and back) still need GeoJSON's 4 positions.
  while (ring.length < 4) ring.splice(ring.length - 1, 0, ring[ring.length - 2] as GeoJsonPosition);
  return ring;
}

/** Twice the planar signed area of a closed ring in lon/lat; > 0 means counter-clockwise. */
function signedArea2(ring: GeoJsonPosition[]): number {
  // Relative to the first vertex, so tiny sectors far from (0, 0) keep their precision.
  const [x0, y0] = ring[0] as GeoJsonPosition;
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as GeoJsonPosition;
    const [x2, y2] = ring[i + 1] as GeoJsonPosition;
    sum += (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  }
  return sum;
}

/**
 * The area the event can be in, for drawing on the map and for spatial queries.
 *
 * Returned as a valid GeoJSON Polygon whatever the input: the ring is closed and,
 * per the RFC 7946 right-hand rule, counter-clockwise (the sampled boundary
 * runs clockwise around the observer, so it is reversed when the signed area
 * says so). A single bearing has no area; it is returned as the zero-area ring
 * min → midpoint → max → min along that bearing so consumers never receive a
 * ring with fewer than the four positions GeoJSON requires.
 *
 * Every vertex is a valid position (lon in [-180, 180), lat in [-90, 90]), because the ring is
 * shared data, not only a drawing. A wedge that crosses the antimeridian is NOT split into a
 * MultiPolygon as RFC 7946 §3.1.9 recommends: its edges are meant the short way round (each
 * spans far less than 180° of longitude), which is how the only consumer, the client's map,
 * reads it after unwrapping (`client/src/map/layers/unwrap-polygon.ts`). Anything that hands
 * the ring to a strict GeoJSON reader must split it first.
 */
export function sectorPolygon(
  observer: LonLat,
  sector: BearingSector,
  range: DistanceRange,
  stepDeg = 1,
): PolygonGeometry {
  let ring: GeoJsonPosition[];
  if (sectorWidthDeg(sector.fromDeg, sector.toDeg) === 0) {
    assertInputs(sector, range, stepDeg);
    const mid = dest(observer, (range.min + range.max) / 2, sector.fromDeg);
    const near = dest(observer, range.min, sector.fromDeg);
    ring = [near, mid, dest(observer, range.max, sector.fromDeg), near];
  } else {
    ring = closeRing(unwrappedSectorVertices(observer, sector, range, stepDeg));
    // Oriented while still unwrapped: the planar area of a ring split at ±180° is meaningless.
    if (signedArea2(ring) < 0) ring.reverse();
  }
  return { type: 'Polygon', coordinates: [ring.map(normalizePosition)] };
}

/**
 * Best single point for a report plus how far off it may be, exactly as the
 * report contract defines it: the point at distance d = (min + max) / 2 and
 * bearing θ = sectorCenterDeg(from, to) from the observer on turf's sphere
 * (`turf.destination`, R = 6 371 008.8 m).
 *
 * `uncertaintyM` is the largest distance from that point to any vertex of the
 * sector polygon sampled every 1° (independent of any drawing step), plus the
 * observer's accuracy, so a circle of that radius covers the whole sector
 * even when the observer's own fix is off.
 *
 * Rounding (part of the contract, so all clients agree bit-for-bit):
 * - `location` is normalised ({@link normalizePosition}: lon in [-180, 180), lat in
 *   [-90, 90]; turf leaves an observer at 180° looking east at 180.01°), then rounded to
 *   7 decimals (≈ 1 cm), which is far below any real-world precision and keeps payloads
 *   short;
 * - `uncertaintyM` is rounded up to a whole metre (`Math.ceil`) so it never
 *   understates the error. It is computed from the unrounded point, and float
 *   noise below a micrometre is discarded first, so an exact 1000 m stays 1000.
 */
export function locateFromBearing(
  observer: Observer,
  sector: BearingSector,
  range: DistanceRange,
): { location: LonLat; uncertaintyM: number } {
  // Distances from the unwrapped centre to the unwrapped arc: the same numbers as always, so
  // the radius does not change for any report; turf's haversine is indifferent to wrapping.
  const vertices = unwrappedSectorVertices(observer, sector, range, 1);
  const theta = sectorCenterDeg(sector.fromDeg, sector.toDeg);
  const center = dest(observer, (range.min + range.max) / 2, theta);
  const centerPt = point(center);
  let farthest = 0;
  for (const v of vertices) {
    farthest = Math.max(farthest, turfDistance(centerPt, v, { units: 'meters' }));
  }
  const raw = farthest + (observer.accuracyM ?? 0);
  const [lon, lat] = normalizePosition(center);
  return {
    location: {
      // Normalised again after rounding: 179.99999999 rounds to 180, which is -180.
      lon: normalizeLon(Math.round(lon * LOCATION_DECIMALS) / LOCATION_DECIMALS),
      lat: Math.round(lat * LOCATION_DECIMALS) / LOCATION_DECIMALS,
    },
    uncertaintyM: Math.max(0, Math.ceil(raw - CEIL_EPSILON_M)),
  };
}

import { azimuthalProjection, sectorVertices } from '@truceline/shared';
import { haversineM } from './haversine.js';
import { type PlanarShape, shapeDistance } from './planar-distance.js';

/**
 * What a bearing report says about where the event is: seen from `observer` (± `accuracyM`) in
 * true directions swept clockwise `fromDeg` → `toDeg`, between `minM` and `maxM` away.
 */
export interface Wedge {
  readonly observerLon: number;
  readonly observerLat: number;
  /** The observer's own position error, metres (0 when not given). */
  readonly accuracyM: number;
  readonly fromDeg: number;
  readonly toDeg: number;
  readonly minM: number;
  readonly maxM: number;
}

/** The fields of a report the region is built from: its circle, and its wedge if it has one. */
export interface RegionSource {
  readonly lon: number;
  readonly lat: number;
  readonly radiusM: number;
  readonly wedge?: Wedge | undefined;
}

/**
 * The set of places a report says the event can be: a core shape (a point, or the wedge's
 * vertices) widened by `bufferM` in every direction. A direct location is its centre widened by
 * its accuracy; a bearing report is its annular sector (a segment for a single bearing) widened
 * by the observer's accuracy.
 */
export interface Region {
  /** Normalised [lon, lat] vertices of the core: 1 = point, 2 = segment, ≥ 3 = polygon. */
  readonly core: readonly (readonly [number, number])[];
  readonly bufferM: number;
  /**
   * Radius of a circle around the report's `lon`/`lat` holding the whole region (plus a metre of
   * slack). The space-time index and the cheap pre-check of the link rule use it.
   */
  readonly boundM: number;
}

/**
 * Largest gap (m) between a sampled arc and the true arc (the sagitta of one step). Sampled
 * arcs lie inside the true ones, so a region is understated by at most this much: 10 m,
 * against a 1 km margin.
 */
const MAX_SAGITTA_M = 10;
const MIN_STEP_DEG = 1;
const MAX_STEP_DEG = 10;
const BOUND_SLACK_M = 1;

/** Arc sampling step (degrees) that keeps the sagitta at `maxM` under {@link MAX_SAGITTA_M}. */
export function arcStepDeg(maxM: number): number {
  if (maxM <= MAX_SAGITTA_M) return MAX_STEP_DEG;
  const step = (2 * Math.acos(1 - MAX_SAGITTA_M / maxM) * 180) / Math.PI;
  return Math.max(MIN_STEP_DEG, Math.min(MAX_STEP_DEG, step));
}

const cache = new WeakMap<RegionSource, Region>();

/** The region of a report, cached per member object (members are immutable). */
export function regionOf(source: RegionSource): Region {
  let region = cache.get(source);
  if (!region) {
    region = buildRegion(source);
    cache.set(source, region);
  }
  return region;
}

function buildRegion(source: RegionSource): Region {
  const { wedge } = source;
  if (!wedge) return { core: [[source.lon, source.lat]], bufferM: source.radiusM, boundM: source.radiusM };
  const observer = { lon: wedge.observerLon, lat: wedge.observerLat };
  const core = sectorVertices(
    observer,
    { fromDeg: wedge.fromDeg, toDeg: wedge.toDeg },
    { min: wedge.minM, max: wedge.maxM },
    arcStepDeg(wedge.maxM),
  );
  let far = 0;
  for (const [lon, lat] of core) far = Math.max(far, haversineM(source, { lon, lat }));
  return { core, bufferM: wedge.accuracyM, boundM: Math.max(source.radiusM, far + wedge.accuracyM) + BOUND_SLACK_M };
}

/**
 * Distance in metres between two regions, edge to edge: 0 (or, for two circles, negative) when
 * they overlap. Two circles use the exact haversine rule; anything with a wedge is measured in a
 * local azimuthal equidistant plane around the midpoint of the two reports' centres (see
 * `azimuthalProjection` in shared), where wedge edges are straight segments between sampled arc points.
 *
 * Symmetric bit for bit: the pair is put in a fixed order before any arithmetic.
 */
export function regionDistanceM(a: RegionSource, b: RegionSource): number {
  if (!a.wedge && !b.wedge) return haversineM(a, b) - (a.radiusM + b.radiusM);
  const [p, q] = comparePlace(a, b) <= 0 ? [a, b] : [b, a];
  const rp = regionOf(p);
  const rq = regionOf(q);
  const project = azimuthalProjection(midpoint(p, q));
  const shape = (r: Region): PlanarShape => r.core.map(([lon, lat]) => project(lon, lat));
  return Math.max(0, shapeDistance(shape(rp), shape(rq)) - (rp.bufferM + rq.bufferM));
}

/** Midpoint of two positions on the sphere (the origin of the pair's local frame). */
function midpoint(a: { lon: number; lat: number }, b: { lon: number; lat: number }): { lon: number; lat: number } {
  const rad = Math.PI / 180;
  const toVec = (p: { lon: number; lat: number }): [number, number, number] => [
    Math.cos(p.lat * rad) * Math.cos(p.lon * rad),
    Math.cos(p.lat * rad) * Math.sin(p.lon * rad),
    Math.sin(p.lat * rad),
  ];
  const [ax, ay, az] = toVec(a);
  const [bx, by, bz] = toVec(b);
  const x = ax + bx;
  const y = ay + by;
  const z = az + bz;
  // Antipodal centres have no midpoint; they are ~20,000 km apart and never reach this far.
  if (Math.hypot(x, y, z) < 1e-12) return a;
  return { lon: Math.atan2(y, x) / rad, lat: Math.atan2(z, Math.hypot(x, y)) / rad };
}

/** A fixed order on region sources (by every field that shapes the region). */
function comparePlace(a: RegionSource, b: RegionSource): number {
  const key = (s: RegionSource): number[] => {
    const w = s.wedge;
    return [s.lon, s.lat, s.radiusM, w ? 1 : 0, w?.observerLon ?? 0, w?.observerLat ?? 0, w?.accuracyM ?? 0, w?.fromDeg ?? 0, w?.toDeg ?? 0, w?.minM ?? 0, w?.maxM ?? 0];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    const d = (ka[i] as number) - (kb[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}



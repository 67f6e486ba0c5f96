import { sectorCenterDeg, sectorWidthDeg } from './angles.js';
import { LocalFrame, type PlanePoint, destinationPoint } from './local-frame.js';
import type { BearingSector, DistanceRange, LonLat, Observer } from './sector.js';
import { type PlaneWedge, wedgeOverlap } from './wedge-overlap.js';

/** One bearing report as triangulation sees it (true bearings, as stored in `bearingTrue`). */
export interface BearingSighting {
  id: string;
  observer: Observer;
  bearingTrue: BearingSector;
  distanceM: DistanceRange;
}

/** Where the bearings cross, and how sure that is. */
export interface Triangulation {
  location: LonLat;
  /** Radius in metres that holds the event with about 95 % probability; whole metres, rounded up. */
  uncertaintyM: number;
  /** The sightings the fix uses, in input order (the others were inconsistent with it). */
  reportIds: string[];
  /** The widest angle at which two used bearings from distinct observers cross, 0–90°, one decimal. */
  crossingAngleDeg: number;
}

/**
 * 1-sigma angular error of a single bearing (from = to). Why not 0: a compass read in the dark
 * or a bang placed by ear is a few degrees off, and a zero would give that report infinite weight.
 */
export const SINGLE_BEARING_SIGMA_DEG = 3;
/** Observer accuracy (95 % radius, m) assumed when a report gives none. */
export const DEFAULT_OBSERVER_ACCURACY_M = 25;
/** Two observers closer than this (or than their accuracies added) stood at one place. */
export const DISTINCT_OBSERVERS_MIN_M = 50;
/** Smallest `uncertaintyM` ever claimed. */
export const MIN_TRIANGULATION_UNCERTAINTY_M = 10;
/** At most this many sightings are used (the first ones given), so a huge incident costs a bounded time. */
export const TRIANGULATION_MAX_SIGHTINGS = 50;

/** √χ²₂(0.95): a 2-D Gaussian's 95 % radius in units of its standard deviation. */
const RADIUS_95_PER_SIGMA = Math.sqrt(5.991464547107979);
const RAD = Math.PI / 180;
const MAX_ITERATIONS = 20;
const CONVERGED_M = 0.001;
/** A bearing this many of its standard deviations off a fix that others agree on is an outlier. */
const OUTLIER_SIGMAS = 3;

/** A sighting in the local plane. */
interface Ray {
  readonly index: number;
  readonly sighting: BearingSighting;
  readonly origin: PlanePoint;
  readonly centerDeg: number;
  /** Half the sector's width, radians (0 for a single bearing). */
  readonly halfWidth: number;
  /** 1-sigma angular error, radians. */
  readonly sigmaAngle: number;
  /** Observer accuracy as a 95 % radius, m. */
  readonly accuracyM: number;
}

interface Solution {
  point: PlanePoint;
  /** 95 % radius before flooring and rounding. */
  radiusM: number;
  /** Each ray's unit direction at the solution (the same order as the rays solved). */
  directions: PlanePoint[];
  /** Each ray's across-line distance from the point in its own standard deviations. */
  residuals: number[];
}

/**
 * The event's position from bearings taken at two or more places.
 *
 * **Model.** Every sighting is a line from its observer along the sector's centre bearing (a
 * single bearing is a ray; a sector is its centre line with a wide error, so two crossing wedges
 * give the middle of their overlap). Its 1-sigma error across the line, at distance d, is
 * `√((d·σθ)² + σobs²)`, with σθ the sector's half-width (at least
 * {@link SINGLE_BEARING_SIGMA_DEG}) and σobs the observer's accuracy (a 95 % radius, so divided by
 * 2.45). The fix is the weighted least-squares point of those across-line distances, solved in an
 * azimuthal-equidistant plane around the observers ({@link LocalFrame}: no seam at the
 * antimeridian, no cos(lat) blow-up at 70° N), iterated because d depends on the point: each
 * line is redrawn through the great-circle point at the current distance, so exact bearings meet
 * exactly at the truth.
 *
 * **Honest uncertainty.** `uncertaintyM` is 2.45·√λmax of the solution's covariance (the 95 %
 * radius of a 2-D Gaussian along its worst axis). It shrinks as bearings cross at wider angles
 * and grows without bound as they align (two bearings 15° apart from 3 km apart are good to
 * kilometres, not 100 m). With three or more sightings the covariance is scaled up by the misfit
 * (χ² per degree of freedom, when above 1), so bearings that disagree widen the circle. It is
 * never below the largest observer accuracy used, nor {@link MIN_TRIANGULATION_UNCERTAINTY_M}.
 * When a sector is among the sightings, it also covers the whole region all of them allow
 * (see `overlapReachM`), because a sector's error is not Gaussian.
 *
 * **Bounds.** A sighting agrees with a fix when the fix lies in front of its observer, within
 * its distance range widened by the fix's uncertainty plus the observer's accuracy, and within
 * its sector widened by the angle that uncertainty subtends. First every pair of sightings from
 * distinct observers (farther apart than {@link DISTINCT_OBSERVERS_MIN_M} and their accuracies
 * added) is solved alone, and a pair counts only when its crossing agrees with both (a crossing
 * behind an observer, or far outside a stated distance, does not count). The sightings of the
 * pairs that count are then solved together; while one of three or more lies more than 3 of its
 * standard deviations off the joint fix, or one disagrees with it, the worst is dropped and the
 * rest solved again.
 *
 * @param sightings at most {@link TRIANGULATION_MAX_SIGHTINGS} are used, the first ones; the
 *   result depends on their order only through that cut and floating-point summation order.
 * @returns `undefined` when fewer than two distinct observer positions give crossings that count.
 */
export function triangulate(sightings: readonly BearingSighting[]): Triangulation | undefined {
  const used = sightings.slice(0, TRIANGULATION_MAX_SIGHTINGS).filter(isUsable);
  if (used.length < 2) return undefined;
  const frame = LocalFrame.around(used.map((s) => s.observer));
  const rays = used.map((s, index) => toRay(frame, s, index));

  const inPair = new Set<Ray>();
  for (let i = 0; i < rays.length; i++) {
    for (let j = i + 1; j < rays.length; j++) {
      const a = rays[i] as Ray;
      const b = rays[j] as Ray;
      if (!distinct(a, b)) continue;
      const pair = solve(frame, [a, b]);
      if (pair && agrees(a, pair, 0) && agrees(b, pair, 1)) {
        inPair.add(a);
        inPair.add(b);
      }
    }
  }

  let set = rays.filter((r) => inPair.has(r));
  for (;;) {
    if (!hasDistinctPair(set)) return undefined;
    const solution = solve(frame, set);
    if (!solution) return undefined;
    const outlier = worstOutlier(solution.residuals);
    if (set.length > 2 && outlier >= 0) {
      set = set.filter((_, k) => k !== outlier);
      continue;
    }
    let worst = -1;
    let worstExcess = 0;
    set.forEach((ray, k) => {
      const excess = disagreementM(ray, solution, k);
      if (excess > worstExcess) {
        worst = k;
        worstExcess = excess;
      }
    });
    if (worst < 0) return result(frame, set, solution);
    set = set.filter((_, k) => k !== worst);
  }
}

/**
 * The ray more than {@link OUTLIER_SIGMAS} standard deviations off the fix (the farthest), or -1.
 * Why before the bounds: the misfit scaling would otherwise widen the circle until a bearing
 * that is plainly wrong "agrees" with it, and bend the fix towards it.
 */
function worstOutlier(residuals: readonly number[]): number {
  let worst = -1;
  let worstAbs = OUTLIER_SIGMAS;
  residuals.forEach((z, k) => {
    if (Math.abs(z) > worstAbs) {
      worst = k;
      worstAbs = Math.abs(z);
    }
  });
  return worst;
}

function isUsable(s: BearingSighting): boolean {
  const { observer: o, bearingTrue: b, distanceM: d } = s;
  return (
    [o.lon, o.lat, b.fromDeg, b.toDeg, d.min, d.max].every(Number.isFinite) &&
    d.max > 0 &&
    d.min <= d.max &&
    // A sector of 180° or more has no centre line to cross.
    sectorWidthDeg(b.fromDeg, b.toDeg) < 180
  );
}

function toRay(frame: LocalFrame, sighting: BearingSighting, index: number): Ray {
  const halfWidth = (sectorWidthDeg(sighting.bearingTrue.fromDeg, sighting.bearingTrue.toDeg) / 2) * RAD;
  return {
    index,
    sighting,
    origin: frame.toPlane(sighting.observer),
    centerDeg: sectorCenterDeg(sighting.bearingTrue.fromDeg, sighting.bearingTrue.toDeg),
    halfWidth,
    sigmaAngle: Math.max(halfWidth, SINGLE_BEARING_SIGMA_DEG * RAD),
    accuracyM: Math.max(0, sighting.observer.accuracyM ?? DEFAULT_OBSERVER_ACCURACY_M),
  };
}

function distinct(a: Ray, b: Ray): boolean {
  const apart = Math.hypot(a.origin.x - b.origin.x, a.origin.y - b.origin.y);
  return apart > Math.max(a.accuracyM + b.accuracyM, DISTINCT_OBSERVERS_MIN_M);
}

function hasDistinctPair(rays: readonly Ray[]): boolean {
  for (let i = 0; i < rays.length; i++) {
    for (let j = i + 1; j < rays.length; j++) if (distinct(rays[i] as Ray, rays[j] as Ray)) return true;
  }
  return false;
}

/** The unit direction, in the plane, of the great circle from the ray's observer to the point `d` out along it. */
function directionAt(frame: LocalFrame, ray: Ray, d: number): PlanePoint {
  const far = frame.toPlane(destinationPoint(ray.sighting.observer, d, ray.centerDeg));
  const dx = far.x - ray.origin.x;
  const dy = far.y - ray.origin.y;
  const len = Math.hypot(dx, dy);
  return len > 0 ? { x: dx / len, y: dy / len } : { x: Math.sin(ray.centerDeg * RAD), y: Math.cos(ray.centerDeg * RAD) };
}

/** Weighted least squares of across-line distances; `undefined` when the lines do not fix a point (parallel). */
function solve(frame: LocalFrame, rays: readonly Ray[]): Solution | undefined {
  let distances = rays.map((r) => (r.sighting.distanceM.min + r.sighting.distanceM.max) / 2);
  let point: PlanePoint | undefined;
  let directions: PlanePoint[] = [];
  let residuals: number[] = [];
  let normal: { a: number; b: number; c: number; chi2: number } | undefined;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    directions = rays.map((r, k) => directionAt(frame, r, distances[k] as number));
    const weights = rays.map((r, k) => 1 / variance(r, distances[k] as number));
    // Normal equations Σ w·n·nᵀ X = Σ w·n·(n·O), with n the unit normal of each line.
    let a = 0;
    let b = 0;
    let c = 0;
    let bx = 0;
    let by = 0;
    rays.forEach((r, k) => {
      const u = directions[k] as PlanePoint;
      const w = weights[k] as number;
      const nx = -u.y;
      const ny = u.x;
      const offset = nx * r.origin.x + ny * r.origin.y;
      a += w * nx * nx;
      b += w * nx * ny;
      c += w * ny * ny;
      bx += w * nx * offset;
      by += w * ny * offset;
    });
    const det = a * c - b * b;
    if (!(det > 1e-12 * (a + c) * (a + c))) return undefined;
    const next = { x: (c * bx - b * by) / det, y: (a * by - b * bx) / det };
    residuals = rays.map((r, k) => {
      const u = directions[k] as PlanePoint;
      const across = -u.y * (next.x - r.origin.x) + u.x * (next.y - r.origin.y);
      return across * Math.sqrt(weights[k] as number);
    });
    normal = { a, b, c, chi2: residuals.reduce((sum, z) => sum + z * z, 0) };
    const moved = point ? Math.hypot(next.x - point.x, next.y - point.y) : Infinity;
    point = next;
    const p = next;
    distances = rays.map((r) => Math.max(1, Math.hypot(p.x - r.origin.x, p.y - r.origin.y)));
    if (moved < CONVERGED_M) break;
  }
  if (!point || !normal) return undefined;
  // Covariance = (Σ w n nᵀ)⁻¹, inflated by the misfit when there is redundancy to measure it.
  const { a, b, c, chi2 } = normal;
  const det = a * c - b * b;
  const scale = rays.length > 2 ? Math.max(1, chi2 / (rays.length - 2)) : 1;
  const sxx = (c / det) * scale;
  const syy = (a / det) * scale;
  const sxy = (-b / det) * scale;
  const lambdaMax = (sxx + syy) / 2 + Math.sqrt(((sxx - syy) / 2) ** 2 + sxy * sxy);
  return { point, radiusM: RADIUS_95_PER_SIGMA * Math.sqrt(lambdaMax), directions, residuals };
}

/** Across-line variance (m²) of a ray at distance `d`: the angular error there, plus the observer's. */
function variance(ray: Ray, d: number): number {
  const observerSigma = ray.accuracyM / RADIUS_95_PER_SIGMA;
  return (d * ray.sigmaAngle) ** 2 + observerSigma * observerSigma;
}

function agrees(ray: Ray, solution: Solution, k: number): boolean {
  return disagreementM(ray, solution, k) === 0;
}

/**
 * How far (m) the fix lies outside what the sighting allows: 0 when the fix is in front of the
 * observer, within the distance range ± (the fix's radius + the observer's accuracy), and within
 * the sector widened by the angle that slack subtends; a crossing behind the observer is worst.
 */
function disagreementM(ray: Ray, solution: Solution, k: number): number {
  const u = solution.directions[k] as PlanePoint;
  const vx = solution.point.x - ray.origin.x;
  const vy = solution.point.y - ray.origin.y;
  const along = vx * u.x + vy * u.y;
  const across = Math.abs(-u.y * vx + u.x * vy);
  const dist = Math.hypot(vx, vy);
  const slack = solution.radiusM + ray.accuracyM;
  if (along <= 0 && dist > slack) return 1e9 + dist;
  const { min, max } = ray.sighting.distanceM;
  let excess = Math.max(0, min - slack - dist, dist - max - slack);
  if (dist > slack) {
    const allowed = ray.halfWidth + Math.asin(Math.min(1, slack / dist));
    const off = Math.atan2(across, along);
    if (off > allowed) excess = Math.max(excess, dist * Math.sin(Math.min(Math.PI / 2, off - allowed)));
  }
  return excess;
}

function result(frame: LocalFrame, rays: readonly Ray[], solution: Solution): Triangulation {
  let widest = 0;
  for (let i = 0; i < rays.length; i++) {
    for (let j = i + 1; j < rays.length; j++) {
      if (!distinct(rays[i] as Ray, rays[j] as Ray)) continue;
      const u = solution.directions[i] as PlanePoint;
      const v = solution.directions[j] as PlanePoint;
      // Lines, not rays: 170° apart cross like 10°.
      const angle = Math.asin(Math.min(1, Math.abs(u.x * v.y - u.y * v.x))) / RAD;
      widest = Math.max(widest, angle);
    }
  }
  const floor = Math.max(MIN_TRIANGULATION_UNCERTAINTY_M, ...rays.map((r) => r.accuracyM));
  const location = frame.fromPlane(solution.point);
  return {
    location: { lon: round7(location.lon), lat: round7(location.lat) },
    // The epsilon keeps float noise from rounding an exact figure up a metre.
    uncertaintyM: Math.ceil(Math.max(floor, solution.radiusM, overlapReachM(rays, solution)) - 1e-6),
    reportIds: [...rays].sort((a, b) => a.index - b.index).map((r) => r.sighting.id),
    crossingAngleDeg: Math.round(widest * 10) / 10,
  };
}

/**
 * With a sector among the sightings, how far the farthest point of the region all of them
 * allow lies from the fix (0 without a sector, or when they allow no common region).
 *
 * Why: a sector says "somewhere in here", not "near the centre line with a Gaussian error". Two
 * wide, nearly parallel wedges overlap in a long sliver, and the covariance of their centre lines,
 * linearised at the fix, understates how far along it the event can be. The overlap itself is
 * the honest bound: each sighting's cone (a sector's own width, a single bearing's 95 % cone of
 * ±2.45 σ), its apex moved back so the cone covers every position within the observer's
 * accuracy, reaching to its largest stated distance.
 */
function overlapReachM(rays: readonly Ray[], solution: Solution): number {
  if (rays.every((r) => r.halfWidth === 0)) return 0;
  const wedges = rays.map((r, k): PlaneWedge => {
    const u = solution.directions[k] as PlanePoint;
    const halfAngle = Math.min(89 * RAD, Math.max(r.halfWidth, RADIUS_95_PER_SIGMA * SINGLE_BEARING_SIGMA_DEG * RAD));
    const back = r.accuracyM / Math.sin(halfAngle);
    return {
      apex: { x: r.origin.x - u.x * back, y: r.origin.y - u.y * back },
      direction: u,
      halfAngle,
      reachM: r.sighting.distanceM.max + r.accuracyM + back,
    };
  });
  let farthest = 0;
  for (const v of wedgeOverlap(wedges)) farthest = Math.max(farthest, Math.hypot(v.x - solution.point.x, v.y - solution.point.y));
  return farthest;
}

function round7(x: number): number {
  const r = Math.round(x * 1e7) / 1e7;
  // 179.99999999 rounds to 180, which is -180.
  return r >= 180 ? r - 360 : r;
}

import { type LonLatPoint, haversineM } from './haversine.js';
import { type RegionSource, regionDistanceM, regionOf } from './region.js';
import { type Category, categoriesCompatible } from './taxonomy-import.js';

/**
 * Tunables of the grouping rule. Kept as data (not constants) because the contract says the
 * 20 min / 1 km defaults are configurable per deployment.
 */
export interface GroupingConfig {
  /** Largest gap, in ms, between two observation windows that still links them (inclusive). */
  readonly maxGapMs: number;
  /**
   * The margin: largest edge-to-edge distance, in metres, between two reports' regions (accuracy
   * circle, or bearing wedge over its distance range) that still links them (inclusive).
   */
  readonly maxEdgeDistanceM: number;
  /**
   * Incident duration limit: two reports link only if, together, they span at most this long
   * (first start to last end), so a report no incident could hold never bridges one. Unset = none.
   */
  readonly maxSpanMs?: number;
  /**
   * Incident extent limit: two reports link only if their locations (centres) are at most this
   * far apart, so one far-reaching region (a long wedge, a vague circle) cannot bridge places an
   * incident could not span. Unset = none.
   */
  readonly maxExtentM?: number;
}

/**
 * The contract (v1.1) defaults: windows within 20 minutes, regions within 1 km edge to edge; and
 * the pair limits (6 h, 10 km; see ARCHITECTURE.md, "Incident limits").
 */
export const DEFAULT_GROUPING: GroupingConfig = Object.freeze({
  maxGapMs: 20 * 60 * 1000,
  maxEdgeDistanceM: 1000,
  maxSpanMs: 6 * 60 * 60 * 1000,
  maxExtentM: 10_000,
});

export { EARTH_RADIUS_M } from './earth.js';
export { type LonLatPoint, haversineM } from './haversine.js';

/**
 * Slack, in metres, added to the distance comparison so that regions placed *exactly* at the
 * limit link despite floating-point noise in the haversine (errors are ~1e-9 m; a micrometre
 * changes no real decision).
 */
export const DISTANCE_EPSILON_M = 1e-6;

/** The fields of a report that the link rule looks at. */
export interface Linkable extends LonLatPoint, RegionSource {
  readonly category: Category;
  readonly startMs: number;
  readonly endMs: number;
  readonly radiusM: number;
}

/**
 * Gap in ms between two observation windows; 0 when they overlap or touch.
 * Why: two windows "lie within 20 minutes of each other" when this gap is at most 20 min.
 */
export function timeGapMs(
  a: { readonly startMs: number; readonly endMs: number },
  b: { readonly startMs: number; readonly endMs: number },
): number {
  return Math.max(0, Math.max(a.startMs, b.startMs) - Math.min(a.endMs, b.endMs));
}

/**
 * Edge-to-edge distance in metres between two uncertainty circles; negative when they overlap.
 * Why: the contract measures proximity between circles, not centres, so a vague report
 * (large radius) can still be grouped with a precise one nearby.
 */
export function edgeDistanceM(a: LonLatPoint & { readonly radiusM: number }, b: LonLatPoint & { readonly radiusM: number }): number {
  // Sum the radii first so the result is exactly symmetric in (a, b) under floating point.
  return haversineM(a, b) - (a.radiusM + b.radiusM);
}

/**
 * The pairwise grouping rule: compatible categories, windows within `maxGapMs` and regions
 * (see `regionOf`) within `maxEdgeDistanceM` edge to edge (all inclusive). Incidents are the
 * connected components of this relation (cut to the incident limits, see `limits.ts`).
 * Checks are ordered cheapest first: a wedge's exact distance is only measured when the circles
 * holding the two regions are within the margin.
 */
export function linked(a: Linkable, b: Linkable, config: GroupingConfig = DEFAULT_GROUPING): boolean {
  if (!categoriesCompatible(a.category, b.category)) return false;
  if (timeGapMs(a, b) > config.maxGapMs) return false;
  if (config.maxSpanMs !== undefined && Math.max(a.endMs, b.endMs) - Math.min(a.startMs, b.startMs) > config.maxSpanMs) return false;
  if (config.maxExtentM !== undefined && haversineM(a, b) > config.maxExtentM + DISTANCE_EPSILON_M) return false;
  const limit = config.maxEdgeDistanceM + DISTANCE_EPSILON_M;
  if (!a.wedge && !b.wedge) return edgeDistanceM(a, b) <= limit;
  if (haversineM(a, b) - (regionOf(a).boundM + regionOf(b).boundM) > limit) return false;
  return regionDistanceM(a, b) <= limit;
}

/**
 * Throws when a config cannot be used. Why: a negative or NaN limit would silently make every
 * report its own incident (or break the index's bucket arithmetic).
 */
export function assertValidConfig(config: GroupingConfig): void {
  if (!Number.isFinite(config.maxGapMs) || config.maxGapMs < 0) {
    throw new RangeError(`grouping: maxGapMs must be a finite number >= 0, got ${String(config.maxGapMs)}`);
  }
  for (const [name, value] of [['maxSpanMs', config.maxSpanMs], ['maxExtentM', config.maxExtentM]] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new RangeError(`grouping: ${name} must be a finite number >= 0, got ${String(value)}`);
    }
  }
  if (!Number.isFinite(config.maxEdgeDistanceM) || config.maxEdgeDistanceM < 0) {
    throw new RangeError(
      `grouping: maxEdgeDistanceM must be a finite number >= 0, got ${String(config.maxEdgeDistanceM)}`,
    );
  }
}

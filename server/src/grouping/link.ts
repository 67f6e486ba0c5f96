import { type Category, categoriesCompatible } from './taxonomy-import.js';

/**
 * Tunables of the grouping rule. Kept as data (not constants) because the contract says the
 * 20 min / 2 km defaults are configurable per deployment.
 */
export interface GroupingConfig {
  /** Largest gap, in ms, between two observation windows that still links them (inclusive). */
  readonly maxGapMs: number;
  /** Largest edge-to-edge distance, in metres, between two uncertainty circles that still links them (inclusive). */
  readonly maxEdgeDistanceM: number;
}

/** The contract defaults: windows within 20 minutes, circles within 2 km edge to edge. */
export const DEFAULT_GROUPING: GroupingConfig = Object.freeze({
  maxGapMs: 20 * 60 * 1000,
  maxEdgeDistanceM: 2000,
});

/** Mean Earth radius in metres, the same value turf uses, so distances agree with the map layer. */
export const EARTH_RADIUS_M = 6371008.8;

/**
 * Slack, in metres, added to the distance comparison so that circles placed *exactly* at the
 * limit link despite floating-point noise in the haversine (errors are ~1e-9 m; a micrometre
 * changes no real decision).
 */
export const DISTANCE_EPSILON_M = 1e-6;

/** A point on the sphere, degrees. */
export interface LonLatPoint {
  readonly lon: number;
  readonly lat: number;
}

/** The fields of a report that the link rule looks at. */
export interface Linkable extends LonLatPoint {
  readonly category: Category;
  readonly startMs: number;
  readonly endMs: number;
  readonly radiusM: number;
}

const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres (haversine, R = {@link EARTH_RADIUS_M}).
 * Same formula as turf's `distance` so that what the map shows and what groups agree.
 */
export function haversineM(a: LonLatPoint, b: LonLatPoint): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.sin(dLon / 2) ** 2 * Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD);
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
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
 * The pairwise grouping rule: compatible categories, windows within `maxGapMs` and circles
 * within `maxEdgeDistanceM` edge to edge (all inclusive). Incidents are the connected
 * components of this relation. Checks are ordered cheapest first.
 */
export function linked(a: Linkable, b: Linkable, config: GroupingConfig = DEFAULT_GROUPING): boolean {
  if (!categoriesCompatible(a.category, b.category)) return false;
  if (timeGapMs(a, b) > config.maxGapMs) return false;
  return edgeDistanceM(a, b) <= config.maxEdgeDistanceM + DISTANCE_EPSILON_M;
}

/**
 * Throws when a config cannot be used. Why: a negative or NaN limit would silently make every
 * report its own incident (or break the index's bucket arithmetic).
 */
export function assertValidConfig(config: GroupingConfig): void {
  if (!Number.isFinite(config.maxGapMs) || config.maxGapMs < 0) {
    throw new RangeError(`grouping: maxGapMs must be a finite number >= 0, got ${String(config.maxGapMs)}`);
  }
  if (!Number.isFinite(config.maxEdgeDistanceM) || config.maxEdgeDistanceM < 0) {
    throw new RangeError(
      `grouping: maxEdgeDistanceM must be a finite number >= 0, got ${String(config.maxEdgeDistanceM)}`,
    );
  }
}

import { type BearingSighting, normalizeLon, triangulate } from '@truceline/shared';
import type { Category } from './taxonomy-import.js';
import { type IncidentSummary, type Member, SUMMARY_REPORT_IDS_LIMIT, compareMembers } from './types.js';

/**
 * Radius floor (m) for centroid weights. Why: a report claiming radius 0 would otherwise get an
 * infinite weight and pin the incident to its point, and claim zero uncertainty.
 */
export const MIN_WEIGHT_RADIUS_M = 10;

/**
 * Builds an incident's summary from its members. O(n log n) in the incident's size, and
 * independent of the order members arrived in: members are sorted by (startMs, id) first, so
 * even the floating-point summation order is fixed.
 *
 * Location: inverse-variance weighted centroid, each report weighted `1 / max(r, 10 m)²` (its
 * radius read as a 1-sigma error), so precise reports dominate vague ones. The mean is taken in a
 * local equirectangular frame centred on the earliest member: longitudes are unwrapped relative to
 * it (so members either side of the antimeridian average to ~180°, not 0°). The cos(lat) scale of
 * that frame cancels in a weighted mean of a single frame, so it is a weighted mean of Δlat and
 * unwrapped Δlon. Incidents span a few km, where the frame's distortion is negligible.
 *
 * Uncertainty: the standard error of that weighted mean, `ceil(sqrt(1 / Σ 1/max(r,10)²))` metres
 * (never below 10 m / √n; one report gives `max(r, 10)` rounded up).
 *
 * Triangulation: when members located by bearing were taken from two or more distinct places and
 * their bearings cross where they say (`triangulate` in the shared geometry), the incident is
 * placed at the crossing instead (`locationMethod: "triangulated"`, its 95 % radius as
 * `uncertaintyM`, and `triangulation` naming the reports used), because a bearing report's own
 * location is only a guess along its line. Unless a direct location (GPS, map) is already more
 * precise than the crossing: then the centroid, which that report dominates, stays.
 */
export function summarizeIncident(id: string, members: Iterable<Member>): IncidentSummary {
  const sorted = [...members].sort(compareMembers);
  const first = sorted[0];
  if (!first) throw new Error(`grouping: incident ${id} has no members`);
  let sumW = 0;
  let sumLat = 0;
  let sumLon = 0;
  let maxEnd = first.endMs;
  const reporters = new Set<string>();
  const categories = new Set<Category>();
  for (const m of sorted) {
    const r = Math.max(m.radiusM, MIN_WEIGHT_RADIUS_M);
    const w = 1 / (r * r);
    sumW += w;
    sumLat += w * (m.lat - first.lat);
    sumLon += w * normalizeLon(m.lon - first.lon);
    if (m.endMs > maxEnd) maxEnd = m.endMs;
    reporters.add(m.reporterId);
    categories.add(m.category);
  }
  // The tiny epsilon keeps e.g. sqrt(10000.000000000002) from rounding up to 101.
  const uncertaintyM = Math.ceil(Math.sqrt(1 / sumW) - 1e-9);
  const fix = triangulated(sorted);
  return {
    id,
    ...(fix
      ? {
          location: fix.location,
          uncertaintyM: fix.uncertaintyM,
          locationMethod: 'triangulated' as const,
          triangulation: { reportIds: fix.reportIds, crossingAngleDeg: fix.crossingAngleDeg },
        }
      : {
          location: { lon: normalizeLon(first.lon + sumLon / sumW), lat: first.lat + sumLat / sumW },
          uncertaintyM,
          locationMethod: 'centroid' as const,
        }),
    reportCount: sorted.length,
    monitorCount: reporters.size,
    reportIds: sorted.slice(0, SUMMARY_REPORT_IDS_LIMIT).map((m) => m.id),
    categories: [...categories].sort(),
    firstObservedAt: new Date(first.startMs).toISOString(),
    lastObservedAt: new Date(maxEnd).toISOString(),
  };
}

/** The crossing of the members' bearings, when there is one and no direct location beats it. */
function triangulated(sorted: readonly Member[]): ReturnType<typeof triangulate> {
  const sightings: BearingSighting[] = [];
  let bestDirectM = Infinity;
  for (const m of sorted) {
    if (!m.wedge) {
      bestDirectM = Math.min(bestDirectM, m.radiusM);
      continue;
    }
    const s = m.wedge;
    sightings.push({
      id: m.id,
      // The wedge holds 0 for an accuracy the report did not give; triangulation then assumes a phone's.
      observer: { lon: s.observerLon, lat: s.observerLat, ...(s.accuracyM > 0 && { accuracyM: s.accuracyM }) },
      bearingTrue: { fromDeg: s.fromDeg, toDeg: s.toDeg },
      distanceM: { min: s.minM, max: s.maxM },
    });
  }
  if (sightings.length < 2) return undefined;
  const fix = triangulate(sightings);
  return fix && fix.uncertaintyM <= bestDirectM ? fix : undefined;
}

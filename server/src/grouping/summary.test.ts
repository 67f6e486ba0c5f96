import { describe, expect, it } from 'vitest';
import { destinationPoint, initialBearingDeg } from '@truceline/shared';
import { summarizeIncident } from './summary.js';
import type { Member } from './types.js';

const TRUTH = { lon: 37.75, lat: 48.14 };
const T0 = Date.UTC(2026, 5, 1, 22);

/** A bearing report from `metres` away, seen from the truth at `fromTruthDeg`, bearing exactly on the truth. */
function sighted(id: string, metres: number, fromTruthDeg: number, reporterId = id): Member {
  const observer = destinationPoint(TRUTH, metres, fromTruthDeg);
  const deg = initialBearingDeg(observer, TRUTH);
  // Where the report itself was located: the mid distance (here 1.5 times too far) along its bearing.
  const located = destinationPoint(observer, metres * 1.5, deg);
  return {
    id,
    category: 'explosion',
    startMs: T0,
    endMs: T0,
    lon: located.lon,
    lat: located.lat,
    radiusM: metres,
    reporterId,
    wedge: { observerLon: observer.lon, observerLat: observer.lat, accuracyM: 10, fromDeg: deg, toDeg: deg, minM: metres * 0.5, maxM: metres * 2.5 },
  };
}

function direct(id: string, radiusM: number): Member {
  return { id, category: 'explosion', startMs: T0 + 60_000, endMs: T0 + 60_000, lon: TRUTH.lon, lat: TRUTH.lat, radiusM, reporterId: id };
}

const offM = (p: { lon: number; lat: number }): number => {
  const dy = (p.lat - TRUTH.lat) * 111_195;
  const dx = (p.lon - TRUTH.lon) * 111_195 * Math.cos((TRUTH.lat * Math.PI) / 180);
  return Math.hypot(dx, dy);
};

describe('summarizeIncident with bearings', () => {
  const three = [sighted('a', 2500, 200), sighted('b', 3000, 300), sighted('c', 2000, 80)];

  it('places an incident seen by bearing from distinct places where the bearings cross', () => {
    const summary = summarizeIncident('i', three);
    expect(summary.locationMethod).toBe('triangulated');
    expect(summary.triangulation?.reportIds).toEqual(['a', 'b', 'c']);
    expect(summary.triangulation?.crossingAngleDeg).toBeGreaterThan(60);
    expect(offM(summary.location)).toBeLessThan(1);
    // Each report's own point is far off: its distance guess is 1.5 times too far.
    for (const m of three) expect(offM(m)).toBeGreaterThan(900);
  });

  it('gives the same summary whatever order the members arrive in', () => {
    const summaries = [three, [...three].reverse(), [three[1], three[2], three[0]] as Member[]].map((m) => summarizeIncident('i', m));
    expect(summaries[1]).toEqual(summaries[0]);
    expect(summaries[2]).toEqual(summaries[0]);
  });

  it('keeps the centroid with one bearing, or a direct location more precise than the crossing', () => {
    expect(summarizeIncident('i', [three[0] as Member]).locationMethod).toBe('centroid');
    expect(summarizeIncident('i', [three[0] as Member, direct('gps', 5)])).not.toHaveProperty('triangulation');
    const withVague = summarizeIncident('i', [...three, direct('map', 2000)]);
    expect(withVague.locationMethod).toBe('triangulated');
    expect(withVague.reportCount).toBe(4);
    expect(summarizeIncident('i', [...three, direct('gps', 8)]).locationMethod).toBe('centroid');
  });
});

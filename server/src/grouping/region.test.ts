import { polygon, point } from '@turf/helpers';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import { sectorPolygon } from '@truceline/shared';
import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from './earth.js';
import { haversineM } from './haversine.js';
import { type RegionSource, type Wedge, arcStepDeg, regionDistanceM, regionOf } from './region.js';

const RAD = Math.PI / 180;

/** Spherical destination (independent of turf and of the code under test). */
function dest(lon: number, lat: number, m: number, bearingDeg: number): [number, number] {
  const d = m / EARTH_RADIUS_M;
  const p1 = lat * RAD;
  const t = bearingDeg * RAD;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
  const l2 = lon * RAD + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [l2 / RAD, p2 / RAD];
}

function wedgeAt(lon: number, lat: number, fromDeg: number, toDeg: number, minM: number, maxM: number, accuracyM = 0): Wedge {
  return { observerLon: lon, observerLat: lat, accuracyM, fromDeg, toDeg, minM, maxM };
}

/** A bearing report as grouping sees it: its circle (here a loose stand-in) and its wedge. */
function bearingReport(w: Wedge): RegionSource {
  const [lon, lat] = dest(w.observerLon, w.observerLat, (w.minM + w.maxM) / 2, w.fromDeg);
  return { lon, lat, radiusM: w.maxM + w.accuracyM, wedge: w };
}

function circle(lon: number, lat: number, radiusM: number): RegionSource {
  return { lon, lat, radiusM };
}

/** Turf's geodesic distance (m) from a point to the wedge polygon, longitudes unwrapped around the observer. */
function turfPointToWedge(p: [number, number], w: Wedge): number {
  const unwrap = (lon: number): number => w.observerLon + ((((lon - w.observerLon) % 360) + 540) % 360) - 180;
  const ring = sectorPolygon({ lon: w.observerLon, lat: w.observerLat }, { fromDeg: w.fromDeg, toDeg: w.toDeg }, { min: w.minM, max: w.maxM }, 0.25)
    .coordinates[0] as number[][];
  const poly = polygon([ring.map(([lon, lat]) => [unwrap(lon as number), lat as number])]);
  return Math.max(0, pointToPolygonDistance(point([unwrap(p[0]), p[1]]), poly, { units: 'meters' }) - w.accuracyM);
}

/** Cross-track distance from a point to the great-circle segment of a single bearing (plain spherical formulas). */
function pointToRay(p: [number, number], w: Wedge): number {
  const o = { lon: w.observerLon, lat: w.observerLat };
  const q = { lon: p[0], lat: p[1] };
  const d13 = haversineM(o, q) / EARTH_RADIUS_M;
  const y = Math.sin((q.lon - o.lon) * RAD) * Math.cos(q.lat * RAD);
  const x = Math.cos(o.lat * RAD) * Math.sin(q.lat * RAD) - Math.sin(o.lat * RAD) * Math.cos(q.lat * RAD) * Math.cos((q.lon - o.lon) * RAD);
  const t13 = Math.atan2(y, x);
  const dxt = Math.asin(Math.sin(d13) * Math.sin(t13 - w.fromDeg * RAD));
  const along = Math.acos(Math.cos(d13) / Math.cos(dxt)) * EARTH_RADIUS_M * Math.sign(Math.cos(t13 - w.fromDeg * RAD));
  let best: number;
  if (along >= w.minM && along <= w.maxM) best = Math.abs(dxt) * EARTH_RADIUS_M;
  else {
    const [aLon, aLat] = dest(o.lon, o.lat, w.minM, w.fromDeg);
    const [bLon, bLat] = dest(o.lon, o.lat, w.maxM, w.fromDeg);
    best = Math.min(haversineM(q, { lon: aLon, lat: aLat }), haversineM(q, { lon: bLon, lat: bLat }));
  }
  return Math.max(0, best - w.accuracyM);
}

/** Tolerance: arcs are sampled with ≤ 10 m sagitta and the local plane distorts lengths by < 0.01 %. */
const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(12 + expected * 5e-4);
};

describe('regionDistanceM: circle – circle', () => {
  it.each([
    ['apart', 2_000, 100, 200, 1_700],
    ['touching', 1_000, 400, 600, 0],
    ['overlapping', 500, 400, 600, -500],
  ])('%s', (_name, apartM, ra, rb, expected) => {
    const [lon, lat] = dest(37.8, 48.1, apartM, 90);
    expect(regionDistanceM(circle(37.8, 48.1, ra), circle(lon, lat, rb))).toBeCloseTo(expected, 3);
  });
});

describe('regionDistanceM: circle – wedge, against turf (geodesic)', () => {
  // Observer near Avdiivka unless stated; the point is placed at (distance, bearing) from it.
  const cases: [string, Wedge, number, number, number][] = [
    ['beyond the outer arc', wedgeAt(37.75, 48.14, 30, 60, 2_000, 4_000), 6_000, 45, 0],
    ['short of the inner arc (in the hole)', wedgeAt(37.75, 48.14, 30, 60, 2_000, 4_000), 800, 45, 0],
    ['beside a straight edge', wedgeAt(37.75, 48.14, 30, 60, 2_000, 4_000), 3_000, 80, 0],
    ['inside', wedgeAt(37.75, 48.14, 30, 60, 2_000, 4_000), 3_000, 45, 0],
    ['behind the observer', wedgeAt(37.75, 48.14, 30, 60, 2_000, 4_000), 1_500, 225, 0],
    ['a wide sector, with a circle radius', wedgeAt(37.75, 48.14, 270, 90, 500, 9_000), 12_000, 0, 700],
    ['a sector across north', wedgeAt(37.75, 48.14, 350, 10, 1_000, 3_000), 3_000, 20, 0],
    ['with observer accuracy', wedgeAt(37.75, 48.14, 30, 60, 2_000, 4_000, 250), 6_000, 45, 0],
    ['a long wedge, far end', wedgeAt(37.75, 48.14, 100, 110, 20_000, 45_000), 47_000, 105, 300],
    ['at 70° N', wedgeAt(25.0, 70.0, 40, 80, 1_000, 5_000), 7_000, 60, 0],
    ['across the antimeridian', wedgeAt(179.98, -16.5, 60, 120, 1_000, 6_000), 8_000, 90, 0],
  ];
  it.each(cases)('%s', (_name, w, pointM, pointDeg, radiusM) => {
    const p = dest(w.observerLon, w.observerLat, pointM, pointDeg);
    const expected = Math.max(0, turfPointToWedge(p, w) - radiusM);
    const c = circle(p[0] > 180 ? p[0] - 360 : p[0], p[1], radiusM);
    const actual = regionDistanceM(c, bearingReport(w));
    close(actual, expected);
    expect(regionDistanceM(bearingReport(w), c)).toBe(actual);
  });
});

describe('regionDistanceM: circle – single bearing (a segment), against the spherical cross-track distance', () => {
  const cases: [string, Wedge, number, number][] = [
    ['beside the ray', wedgeAt(37.75, 48.14, 45, 45, 1_000, 5_000), 3_000, 60],
    ['past its far end', wedgeAt(37.75, 48.14, 45, 45, 1_000, 5_000), 7_000, 45],
    ['short of its near end', wedgeAt(37.75, 48.14, 45, 45, 1_000, 5_000), 300, 45],
    ['on it', wedgeAt(37.75, 48.14, 45, 45, 1_000, 5_000), 2_500, 45],
    ['pointing away (behind the observer)', wedgeAt(37.75, 48.14, 45, 45, 1_000, 5_000), 2_000, 225],
  ];
  it.each(cases)('%s', (_name, w, pointM, pointDeg) => {
    const p = dest(w.observerLon, w.observerLat, pointM, pointDeg);
    close(regionDistanceM(circle(p[0], p[1], 0), bearingReport(w)), pointToRay(p, w));
  });
});

describe('regionDistanceM: wedge – wedge', () => {
  /** Independent reference: densely sample A's boundary and take turf's distance to B's polygon. */
  function sampledDistance(a: Wedge, b: Wedge): number {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i <= 80; i++) {
      const f = i / 80;
      const span = ((a.toDeg - a.fromDeg + 360) % 360) * f;
      for (const r of [a.minM, a.maxM]) best = Math.min(best, turfPointToWedge(dest(a.observerLon, a.observerLat, r, a.fromDeg + span), b));
      for (const deg of [a.fromDeg, a.toDeg]) {
        best = Math.min(best, turfPointToWedge(dest(a.observerLon, a.observerLat, a.minM + (a.maxM - a.minM) * f, deg), b));
      }
    }
    return Math.max(0, best - a.accuracyM);
  }
  const [eLon, eLat] = dest(37.75, 48.14, 3_000, 90);
  const cases: [string, Wedge, Wedge][] = [
    ['crossing (three monitors hear one shell): 0', wedgeAt(37.75, 48.14, 40, 50, 2_000, 6_000), wedgeAt(eLon, eLat, 340, 350, 2_000, 6_000)],
    ['side by side, pointing the same way', wedgeAt(37.75, 48.14, 0, 10, 3_000, 8_000), wedgeAt(eLon, eLat, 0, 10, 3_000, 8_000)],
    ['back to back', wedgeAt(37.75, 48.14, 260, 280, 2_000, 6_000), wedgeAt(eLon, eLat, 80, 100, 2_000, 6_000)],
    ['single bearings that cross', wedgeAt(37.75, 48.14, 30, 30, 1_000, 3_500), wedgeAt(eLon, eLat, 330, 330, 1_000, 3_500)],
    ['single bearings that stop short of crossing', wedgeAt(37.75, 48.14, 30, 30, 500, 2_000), wedgeAt(eLon, eLat, 330, 330, 500, 2_000)],
  ];
  it.each(cases)('%s', (_name, a, b) => {
    const actual = regionDistanceM(bearingReport(a), bearingReport(b));
    expect(regionDistanceM(bearingReport(b), bearingReport(a))).toBe(actual);
    close(actual, Math.min(sampledDistance(a, b), sampledDistance(b, a)));
  });
});

describe('regionOf', () => {
  it('bounds the whole wedge (plus accuracy) from the report centre', () => {
    const w = wedgeAt(37.75, 48.14, 300, 60, 0, 20_000, 500);
    const r = bearingReport(w);
    const region = regionOf(r);
    for (let deg = -60; deg <= 60; deg += 3) {
      const [lon, lat] = dest(w.observerLon, w.observerLat, w.maxM, deg);
      expect(haversineM(r, { lon, lat }) + w.accuracyM).toBeLessThanOrEqual(region.boundM);
    }
  });
  it.each([
    [500, 10],
    [5_000, 7.25],
    [50_000, 2.29],
  ])('samples arcs at %i m every %f° (≤ 10 m sagitta)', (maxM, step) => {
    expect(arcStepDeg(maxM)).toBeCloseTo(step, 1);
  });
});

import { describe, expect, it } from 'vitest';
import { locateFromBearing, sectorPolygon, sectorVertices } from './sector.js';
import type { BearingSector, DistanceRange, Observer } from './sector.js';

// Independent spherical model (same sphere as turf: mean Earth radius).
const R = 6371008.8;
const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

/** Great-circle destination: returns [lon, lat]. */
function gcDestination(lon: number, lat: number, meters: number, bearingDeg: number): [number, number] {
  const d = meters / R;
  const φ1 = rad(lat);
  const λ1 = rad(lon);
  const θ = rad(bearingDeg);
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
  const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return [deg(λ2), deg(φ2)];
}

/** Haversine distance in metres. */
function gcDistance(a: readonly number[], b: readonly number[]): number {
  const [lon1 = NaN, lat1 = NaN] = a;
  const [lon2 = NaN, lat2 = NaN] = b;
  const h =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 +
    Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

/** Initial great-circle bearing from a to b, in [0, 360). */
function gcBearing(a: readonly number[], b: readonly number[]): number {
  const [lon1 = NaN, lat1 = NaN] = a;
  const [lon2 = NaN, lat2 = NaN] = b;
  const y = Math.sin(rad(lon2 - lon1)) * Math.cos(rad(lat2));
  const x =
    Math.cos(rad(lat1)) * Math.sin(rad(lat2)) - Math.sin(rad(lat1)) * Math.cos(rad(lat2)) * Math.cos(rad(lon2 - lon1));
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

/**
 * Expected uncertainty by geometry alone: from a point on the bisector, the
 * farthest points of an annular sector are its four corners (distance to a
 * point on a circle about the observer grows with angular separation).
 */
function expectedUncertainty(o: Observer, s: BearingSector, r: DistanceRange, centre: number): number {
  const mid = (r.min + r.max) / 2;
  const loc = gcDestination(o.lon, o.lat, mid, centre);
  const corners = [
    gcDestination(o.lon, o.lat, r.max, s.fromDeg),
    gcDestination(o.lon, o.lat, r.max, s.toDeg),
    gcDestination(o.lon, o.lat, r.min, s.fromDeg),
    gcDestination(o.lon, o.lat, r.min, s.toDeg),
  ];
  return Math.max(...corners.map((c) => gcDistance(loc, c))) + (o.accuracyM ?? 0);
}

const OBS: Observer = { lon: 37.8, lat: 48.0 };

describe('locateFromBearing', () => {
  it.each<[string, Observer, BearingSector, DistanceRange, number]>([
    // name, observer, sector, distance, hand-derived centre bearing
    ['narrow east', OBS, { fromDeg: 80, toDeg: 100 }, { min: 2000, max: 4000 }, 90],
    ['crossing north', OBS, { fromDeg: 350, toDeg: 10 }, { min: 1000, max: 2000 }, 0],
    ['wide, 340° clockwise', OBS, { fromDeg: 10, toDeg: 350 }, { min: 500, max: 1500 }, 180],
    ['270 → 90 through north', OBS, { fromDeg: 270, toDeg: 90 }, { min: 1000, max: 5000 }, 0],
    ['with accuracy', { ...OBS, accuracyM: 12.5 }, { fromDeg: 200, toDeg: 230 }, { min: 300, max: 900 }, 215],
    ['min = 0', { lon: 30.52, lat: 50.45, accuracyM: 5 }, { fromDeg: 120, toDeg: 150 }, { min: 0, max: 3000 }, 135],
  ])('%s', (_name, observer, sector, range, centre) => {
    const { location, uncertaintyM } = locateFromBearing(observer, sector, range);
    const [lon, lat] = gcDestination(observer.lon, observer.lat, (range.min + range.max) / 2, centre);
    expect(location.lon).toBeCloseTo(lon, 7);
    expect(location.lat).toBeCloseTo(lat, 7);
    // 7-decimal rounding
    expect(Math.round(location.lon * 1e7) / 1e7).toBe(location.lon);
    expect(Math.round(location.lat * 1e7) / 1e7).toBe(location.lat);
    expect(uncertaintyM).toBe(Math.ceil(expectedUncertainty(observer, sector, range, centre)));
  });

  it('narrow 80→100 sector at 2–4 km is ~3 km due east with ~1.17 km uncertainty', () => {
    const { location, uncertaintyM } = locateFromBearing(OBS, { fromDeg: 80, toDeg: 100 }, { min: 2000, max: 4000 });
    // Due east: latitude barely moves (great circle dips ~0.5 m); 3000 m of longitude at 48°N.
    expect(location.lat).toBeCloseTo(48.0, 4);
    const dLonDeg = deg(3000 / (R * Math.cos(rad(48))));
    expect(location.lon).toBeCloseTo(37.8 + dLonDeg, 5);
    // Planar estimate: farthest corner is at 4000 m, 10° off-axis.
    const planar = Math.hypot(4000 * Math.cos(rad(10)) - 3000, 4000 * Math.sin(rad(10)));
    expect(planar).toBeCloseTo(1168.16, 1);
    expect(Math.abs(uncertaintyM - planar)).toBeLessThan(2);
    expect(uncertaintyM).toBe(1169);
  });

  it.each([
    [{ ...OBS }, 45, { min: 1000, max: 3000 }, 1000],
    [{ ...OBS, accuracyM: 25 }, 45, { min: 1000, max: 3000 }, 1025],
    [{ ...OBS, accuracyM: 10 }, 0, { min: 2000, max: 2000 }, 10],
    [{ ...OBS }, 359, { min: 0, max: 800 }, 400],
  ])('single bearing %#: uncertainty = (max − min)/2 + accuracy', (observer, b, range, expected) => {
    const { location, uncertaintyM } = locateFromBearing(observer, { fromDeg: b, toDeg: b }, range);
    expect(uncertaintyM).toBe(expected);
    const [lon, lat] = gcDestination(observer.lon, observer.lat, (range.min + range.max) / 2, b);
    expect(location.lon).toBeCloseTo(lon, 7);
    expect(location.lat).toBeCloseTo(lat, 7);
  });

  it('crossing north 350→10 puts the point due north', () => {
    const { location } = locateFromBearing(OBS, { fromDeg: 350, toDeg: 10 }, { min: 1000, max: 2000 });
    expect(location.lon).toBe(37.8);
    // 1500 m / R rad = 0.01348981°
    expect(location.lat).toBe(48.0134898);
  });

  it('adds the accuracy once', () => {
    const sector = { fromDeg: 80, toDeg: 100 };
    const range = { min: 2000, max: 4000 };
    const base = locateFromBearing(OBS, sector, range).uncertaintyM;
    expect(locateFromBearing({ ...OBS, accuracyM: 30 }, sector, range).uncertaintyM).toBe(base + 30);
  });

  it('rejects invalid ranges', () => {
    expect(() => locateFromBearing(OBS, { fromDeg: 0, toDeg: 10 }, { min: 500, max: 100 })).toThrow(RangeError);
    expect(() => locateFromBearing(OBS, { fromDeg: 0, toDeg: 10 }, { min: -1, max: 100 })).toThrow(RangeError);
    expect(() => locateFromBearing(OBS, { fromDeg: NaN, toDeg: 10 }, { min: 1, max: 100 })).toThrow(RangeError);
  });
});

/** Shoelace over lon/lat; > 0 means counter-clockwise. */
function signedArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1 = NaN, y1 = NaN] = ring[i] ?? [];
    const [x2 = NaN, y2 = NaN] = ring[i + 1] ?? [];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

describe('sectorPolygon', () => {
  const cases: [string, BearingSector, DistanceRange, number][] = [
    ['80→100 every 1°', { fromDeg: 80, toDeg: 100 }, { min: 2000, max: 4000 }, 1],
    ['350→10 every 1°', { fromDeg: 350, toDeg: 10 }, { min: 1000, max: 2000 }, 1],
    ['10→350 every 1°', { fromDeg: 10, toDeg: 350 }, { min: 500, max: 1500 }, 1],
    ['0.5° wide', { fromDeg: 44.75, toDeg: 45.25 }, { min: 100, max: 200 }, 1],
    ['33° every 5°', { fromDeg: 300, toDeg: 333 }, { min: 1000, max: 3000 }, 5],
  ];

  it.each(cases)('%s: closed, counter-clockwise, arcs sampled within step', (_n, sector, range, step) => {
    const poly = sectorPolygon(OBS, sector, range, step);
    expect(poly.type).toBe('Polygon');
    expect(poly.coordinates).toHaveLength(1);
    const ring = poly.coordinates[0] ?? [];
    expect(ring.length).toBeGreaterThanOrEqual(4);
    expect(ring[ring.length - 1]).toEqual(ring[0]);
    expect(signedArea(ring)).toBeGreaterThan(0);

    const o = [OBS.lon, OBS.lat];
    const width = (((sector.toDeg - sector.fromDeg) % 360) + 360) % 360;
    const expectedPerArc = Math.ceil(width / step) + 1;
    const outer = ring.slice(0, -1).filter((p) => Math.abs(gcDistance(o, p) - range.max) < 1e-3);
    const inner = ring.slice(0, -1).filter((p) => Math.abs(gcDistance(o, p) - range.min) < 1e-3);
    expect(outer).toHaveLength(expectedPerArc);
    expect(inner).toHaveLength(expectedPerArc);
    expect(outer.length + inner.length).toBe(ring.length - 1);

    for (const arc of [outer, inner]) {
      // Bearings relative to fromDeg, measured clockwise, sorted along the arc.
      const rel = arc
        .map((p) => (((gcBearing(o, p) - sector.fromDeg) % 360) + 360) % 360)
        .map((r) => (r > 359.999 ? 0 : r))
        .sort((a, b) => a - b);
      expect(rel[0]).toBeCloseTo(0, 6);
      expect(rel[rel.length - 1]).toBeCloseTo(width, 6);
      for (let i = 1; i < rel.length; i++) {
        expect((rel[i] ?? NaN) - (rel[i - 1] ?? NaN)).toBeLessThanOrEqual(step + 1e-9);
      }
    }
  });

  it('single bearing gives a closed 4-position ring along the bearing', () => {
    const poly = sectorPolygon(OBS, { fromDeg: 90, toDeg: 90 }, { min: 1000, max: 3000 });
    const ring = poly.coordinates[0] ?? [];
    expect(ring).toHaveLength(4);
    expect(ring[3]).toEqual(ring[0]);
    const o = [OBS.lon, OBS.lat];
    expect(ring.slice(0, 3).map((p) => Math.round(gcDistance(o, p)))).toEqual([1000, 2000, 3000]);
    for (const p of ring) expect(gcBearing(o, p)).toBeCloseTo(90, 6);
  });

  it('min = 0 collapses the inner arc to the observer', () => {
    const ring = sectorPolygon(OBS, { fromDeg: 0, toDeg: 30 }, { min: 0, max: 1000 }).coordinates[0] ?? [];
    expect(ring).toHaveLength(31 + 1 + 1);
    expect(ring.filter((p) => p[0] === OBS.lon && p[1] === OBS.lat)).toHaveLength(1);
    expect(signedArea(ring)).toBeGreaterThan(0);
  });

  it('min = max still yields a valid closed ring without consecutive duplicates', () => {
    const ring = sectorPolygon(OBS, { fromDeg: 0, toDeg: 3 }, { min: 2000, max: 2000 }).coordinates[0] ?? [];
    expect(ring[ring.length - 1]).toEqual(ring[0]);
    expect(ring.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < ring.length; i++) expect(ring[i]).not.toEqual(ring[i - 1]);
  });

  it('polygon and locateFromBearing use the same vertices', () => {
    const sector = { fromDeg: 350, toDeg: 10 };
    const range = { min: 1000, max: 2000 };
    const verts = sectorVertices(OBS, sector, range);
    const ring = sectorPolygon(OBS, sector, range).coordinates[0] ?? [];
    expect(new Set(ring.map((p) => p.join()))).toEqual(new Set(verts.map((p) => p.join())));
  });
});

import { describe, expect, it } from 'vitest';
import { destination } from '@turf/destination';
import { type BearingSighting, triangulate } from './triangulate.js';

// The scenes are built independently of the module under test: turf's destination places the
// observers around the truth, and a plain spherical formula gives each observer's bearing to it.
const R = 6371008.8;
const rad = (d: number): number => (d * Math.PI) / 180;
const deg = (r: number): number => (r * 180) / Math.PI;

interface Pt {
  lon: number;
  lat: number;
}

function place(from: Pt, meters: number, bearingDeg: number): Pt {
  const [lon = NaN, lat = NaN] = destination([from.lon, from.lat], meters, bearingDeg, { units: 'meters' }).geometry.coordinates;
  return { lon: ((((lon + 180) % 360) + 360) % 360) - 180, lat };
}

function gcDistance(a: Pt, b: Pt): number {
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

function gcBearing(a: Pt, b: Pt): number {
  const y = Math.sin(rad(b.lon - a.lon)) * Math.cos(rad(b.lat));
  const x = Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) - Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lon - a.lon));
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

const norm = (d: number): number => ((d % 360) + 360) % 360;

interface Look {
  /** Where the observer stands, seen from the truth: distance and bearing from the truth. */
  at: [meters: number, bearingFromTruthDeg: number];
  /** Degrees added to the exact bearing (an imprecise compass). */
  error?: number;
  /** A sector this wide around the (erred) bearing instead of a single bearing. */
  width?: number;
  /** Distance guess as multiples of the true distance. */
  range?: [number, number];
  accuracyM?: number;
}

function sightings(truth: Pt, looks: Look[]): BearingSighting[] {
  return looks.map((look, i) => {
    const observer = place(truth, ...look.at);
    const exact = gcBearing(observer, truth);
    const centre = exact + (look.error ?? 0);
    const half = (look.width ?? 0) / 2;
    const d = gcDistance(observer, truth);
    const [lo, hi] = look.range ?? [0.7, 1.3];
    return {
      id: `r${i}`,
      observer: { ...observer, accuracyM: look.accuracyM ?? 10 },
      bearingTrue: { fromDeg: norm(centre - half), toDeg: norm(centre + half) },
      distanceM: { min: d * lo, max: d * hi },
    };
  });
}

/** Two observers `baseline` metres apart whose exact bearings to the truth cross at `angle`. */
function crossing(angle: number, baseline = 3000): Look[] {
  // Isosceles: each observer at the same distance, seen from the truth half the angle either side of south.
  const d = baseline / 2 / Math.sin(rad(angle / 2));
  return [{ at: [d, 180 - angle / 2] }, { at: [d, 180 + angle / 2] }];
}

const AVDIIVKA: Pt = { lon: 37.75, lat: 48.14 };

describe('triangulate', () => {
  it.each([
    // [name, truth, looks, max error (m), uncertainty bounds (m)]
    ['two observers 3 km apart crossing at 90°', AVDIIVKA, crossing(90), 1, [150, 400]],
    ['two observers 3 km apart crossing at 20°', AVDIIVKA, crossing(20), 1, [1000, 6000]],
    ['two observers 3 km apart whose bearings cross at 15°', AVDIIVKA, crossing(15), 1, [1500, 8000]],
    ['two observers 3 km apart nearly parallel (5°)', AVDIIVKA, crossing(5), 5, [8000, 100_000]],
    ['at 70° N', { lon: 25.5, lat: 70 }, crossing(60), 1, [150, 600]],
    ['on the antimeridian', { lon: -180, lat: -16.5 }, [{ at: [2000, 270] }, { at: [2000, 90] as [number, number], error: 0 }, { at: [2500, 0] }] as Look[], 1, [50, 400]],
    ['west of the antimeridian, observers east of it', { lon: 179.995, lat: 65 }, [{ at: [3000, 100] }, { at: [3000, 60] }], 1, [100, 1000]],
  ] as [string, Pt, Look[], number, [number, number]][])('%s: the fix is on the truth and its circle is honest', (_name, truth, looks, maxErrorM, [minU, maxU]) => {
    const fix = triangulate(sightings(truth, looks));
    expect(fix).toBeDefined();
    if (!fix) return;
    const error = gcDistance(fix.location, truth);
    expect(error).toBeLessThan(maxErrorM);
    expect(fix.uncertaintyM).toBeGreaterThanOrEqual(minU);
    expect(fix.uncertaintyM).toBeLessThanOrEqual(maxU);
    expect(fix.location.lon).toBeGreaterThanOrEqual(-180);
    expect(fix.location.lon).toBeLessThan(180);
    expect(fix.reportIds).toEqual(looks.map((_, i) => `r${i}`));
  });

  it('states the crossing angle, and the circle shrinks as bearings cross wider and grows as they align', () => {
    const radii = [90, 45, 20, 15, 5].map((angle) => {
      const fix = triangulate(sightings(AVDIIVKA, crossing(angle)));
      expect(fix?.crossingAngleDeg).toBeCloseTo(angle, 0);
      return fix?.uncertaintyM ?? NaN;
    });
    for (let i = 1; i < radii.length; i++) expect(radii[i]).toBeGreaterThan(radii[i - 1] as number);
  });

  it('two bearings 15° apart from 3 km apart, 2° off each, still hold the truth', () => {
    const [a, b] = crossing(15);
    const fix = triangulate(sightings(AVDIIVKA, [{ ...(a as Look), error: 2 }, { ...(b as Look), error: -2 }]));
    expect(fix).toBeDefined();
    expect(gcDistance(fix?.location ?? AVDIIVKA, AVDIIVKA)).toBeGreaterThan(100);
    expect(gcDistance(fix?.location ?? AVDIIVKA, AVDIIVKA)).toBeLessThan(fix?.uncertaintyM ?? 0);
  });

  it('three observers with imprecise bearings: all three are used and the truth is inside', () => {
    const looks: Look[] = [
      { at: [2500, 200], error: 2 },
      { at: [3000, 300], error: -1.5 },
      { at: [2000, 80], error: 1 },
    ];
    const fix = triangulate(sightings(AVDIIVKA, looks));
    expect(fix?.reportIds).toEqual(['r0', 'r1', 'r2']);
    expect(gcDistance(fix?.location ?? AVDIIVKA, AVDIIVKA)).toBeLessThan(fix?.uncertaintyM ?? 0);
    // Three crossings constrain the point better than the best two alone.
    const two = triangulate(sightings(AVDIIVKA, looks.slice(0, 2)));
    expect(fix?.uncertaintyM).toBeLessThan(two?.uncertaintyM ?? 0);
  });

  it('distance guesses far off the truth do not move the fix while their ranges still hold it', () => {
    // Both guessed 0.2–4.5 times the true distance: the mid distance is 2.35 times too far.
    const looks = crossing(70).map((l) => ({ ...l, range: [0.2, 4.5] as [number, number] }));
    const fix = triangulate(sightings(AVDIIVKA, looks));
    expect(gcDistance(fix?.location ?? { lon: 0, lat: 0 }, AVDIIVKA)).toBeLessThan(1);
  });

  it('a crossing far outside the stated distance ranges does not count', () => {
    // Both said 4–5 times the real distance: the bearings cross where neither said it was.
    const looks = crossing(90).map((l) => ({ ...l, range: [4, 5] as [number, number] }));
    expect(triangulate(sightings(AVDIIVKA, looks))).toBeUndefined();
    // Just outside, by less than the fix's own uncertainty: counts.
    const near = crossing(90).map((l) => ({ ...l, range: [1.05, 1.5] as [number, number] }));
    expect(triangulate(sightings(AVDIIVKA, near))).toBeDefined();
  });

  it('a sector across north (350°–10°) is centred on north', () => {
    // One observer due south of the truth with a 20° sector across north, one due west with a single bearing.
    const truth = AVDIIVKA;
    const fix = triangulate(sightings(truth, [{ at: [3000, 180], width: 20 }, { at: [3000, 270] }]));
    expect(fix).toBeDefined();
    const [south] = sightings(truth, [{ at: [3000, 180], width: 20 }]);
    expect(south?.bearingTrue.fromDeg).toBeGreaterThan(349);
    expect(south?.bearingTrue.toDeg).toBeLessThan(11);
    expect(gcDistance(fix?.location ?? { lon: 0, lat: 0 }, truth)).toBeLessThan(1);
  });

  it('two crossing wedges: the fix is where they overlap and their circle covers the overlap', () => {
    const fix = triangulate(sightings(AVDIIVKA, [{ at: [3000, 200], width: 20, error: 6 }, { at: [3000, 110], width: 20, error: -6 }]));
    expect(fix).toBeDefined();
    expect(gcDistance(fix?.location ?? { lon: 0, lat: 0 }, AVDIIVKA)).toBeLessThan(fix?.uncertaintyM ?? 0);
    const singles = triangulate(sightings(AVDIIVKA, [{ at: [3000, 200] }, { at: [3000, 110] }]));
    expect(fix?.uncertaintyM).toBeGreaterThan(singles?.uncertaintyM ?? Infinity);
  });

  it('a report whose bearing points away is left out', () => {
    const looks: Look[] = [{ at: [2500, 200] }, { at: [3000, 300] }, { at: [2000, 80], error: 180 }];
    const fix = triangulate(sightings(AVDIIVKA, looks));
    expect(fix?.reportIds).toEqual(['r0', 'r1']);
    expect(gcDistance(fix?.location ?? { lon: 0, lat: 0 }, AVDIIVKA)).toBeLessThan(1);
    // With only one other observer left, there is no crossing at all.
    expect(triangulate(sightings(AVDIIVKA, [looks[0] as Look, looks[2] as Look]))).toBeUndefined();
  });

  it('a bearing that disagrees with two others is dropped rather than bending the fix', () => {
    const looks: Look[] = [{ at: [2500, 200] }, { at: [3000, 300] }, { at: [2000, 80] }, { at: [2600, 20], error: 25 }];
    const fix = triangulate(sightings(AVDIIVKA, looks));
    expect(fix?.reportIds).toEqual(['r0', 'r1', 'r2']);
  });

  it('needs two distinct observer positions', () => {
    // Two monitors at one checkpoint, 20 m apart, and one report alone: nothing to cross.
    const [a] = sightings(AVDIIVKA, [{ at: [3000, 180] }]);
    const [b] = sightings(AVDIIVKA, [{ at: [3000, 180.4] }]);
    expect(triangulate([a as BearingSighting, { ...(b as BearingSighting), id: 'r1' }])).toBeUndefined();
    expect(triangulate([a as BearingSighting])).toBeUndefined();
    expect(triangulate([])).toBeUndefined();
  });

  it('is never surer than the observers’ own positions', () => {
    const looks = crossing(90, 400).map((l) => ({ ...l, accuracyM: 150 }));
    const fix = triangulate(sightings(AVDIIVKA, looks));
    expect(fix?.uncertaintyM).toBeGreaterThanOrEqual(150);
  });
});

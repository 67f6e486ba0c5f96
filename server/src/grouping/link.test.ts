import { locateFromBearing } from '@truceline/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPING, EARTH_RADIUS_M, type Linkable, edgeDistanceM, haversineM, linked, timeGapMs } from './link.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);
const LAT = 48.5;
const LON = 37.9;
/** Latitude degrees spanning `m` metres along a meridian (exact for haversine up to rounding). */
const north = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);

function report(over: Partial<Linkable> = {}): Linkable {
  return { category: 'shelling', startMs: T0, endMs: T0 + 5 * MIN, lon: LON, lat: LAT, radiusM: 0, ...over };
}

describe('haversineM', () => {
  it('matches the turf radius: one degree of latitude is 111,195.08 m', () => {
    expect(haversineM({ lon: 0, lat: 0 }, { lon: 0, lat: 1 })).toBeCloseTo(111_195.08, 1);
  });
  it('is symmetric and handles the antimeridian', () => {
    const a = { lon: 179.99, lat: 10 };
    const b = { lon: -179.99, lat: 10 };
    expect(haversineM(a, b)).toBeCloseTo(haversineM(b, a), 9);
    expect(haversineM(a, b)).toBeGreaterThan(2_150);
    expect(haversineM(a, b)).toBeLessThan(2_200);
  });
});

describe('timeGapMs', () => {
  it.each([
    ['overlapping', [0, 10], [5, 20], 0],
    ['touching', [0, 10], [10, 20], 0],
    ['contained', [0, 100], [20, 30], 0],
    ['apart', [0, 10], [25, 30], 15],
    ['apart, reversed', [25, 30], [0, 10], 15],
  ] as const)('%s', (_name, a, b, gap) => {
    expect(timeGapMs({ startMs: a[0], endMs: a[1] }, { startMs: b[0], endMs: b[1] })).toBe(gap);
  });
});

describe('linked', () => {
  const base = report();
  const cases: [string, Linkable, Linkable, boolean][] = [
    ['same place and time', base, report(), true],
    ['gap exactly 20 min links', base, report({ startMs: base.endMs + 20 * MIN, endMs: base.endMs + 30 * MIN }), true],
    ['gap 20 min + 1 ms does not', base, report({ startMs: base.endMs + 20 * MIN + 1, endMs: base.endMs + 30 * MIN }), false],
    ['overlapping windows', base, report({ startMs: T0 - 60 * MIN, endMs: T0 + 1 }), true],
    ['gap before, exactly 20 min', base, report({ startMs: T0 - 30 * MIN, endMs: T0 - 20 * MIN }), true],
    ['gap before, 20 min + 1 ms', base, report({ startMs: T0 - 30 * MIN, endMs: T0 - 20 * MIN - 1 }), false],
    ['points exactly 1 km apart', base, report({ lat: LAT + north(1_000) }), true],
    ['points 1,001 m apart', base, report({ lat: LAT + north(1_001) }), false],
    [
      'circles 1 km apart edge to edge',
      report({ radiusM: 500 }),
      report({ radiusM: 700, lat: LAT + north(500 + 1_000 + 700) }),
      true,
    ],
    [
      'circles 1,001 m apart edge to edge',
      report({ radiusM: 500 }),
      report({ radiusM: 700, lat: LAT + north(500 + 1_001 + 700) }),
      false,
    ],
    ['large circles overlapping, centres within the 10 km extent', report({ radiusM: 30_000 }), report({ radiusM: 25_000, lat: LAT + north(9_000) }), true],
    ['large circles overlapping, centres beyond the 10 km extent', report({ radiusM: 30_000 }), report({ radiusM: 25_000, lat: LAT + north(56_000) }), false],
    ['incompatible co-located: monitor_restriction vs shelling', report({ category: 'monitor_restriction' }), base, false],
    ['incompatible co-located: heavy_weapons vs explosion', report({ category: 'heavy_weapons' }), report({ category: 'explosion' }), false],
    ['compatible: shelling vs explosion', base, report({ category: 'explosion', lat: LAT + north(900) }), true],
    ['compatible: drone_sighting vs air_drone_strike', report({ category: 'drone_sighting' }), report({ category: 'air_drone_strike' }), true],
    ['same restricted category links with itself', report({ category: 'monitor_restriction' }), report({ category: 'monitor_restriction' }), true],
    [
      'across the antimeridian',
      report({ lon: 179.996, lat: 0 }),
      report({ lon: -179.996, lat: 0 }),
      true,
    ],
  ];

  it.each(cases)('%s → %s', (_name, a, b, expected) => {
    expect(linked(a, b)).toBe(expected);
    expect(linked(b, a)).toBe(expected);
  });

  it('edge distance is the centre distance minus both radii', () => {
    const a = report({ radiusM: 300 });
    const b = report({ radiusM: 200, lat: LAT + north(1_000) });
    expect(edgeDistanceM(a, b)).toBeCloseTo(500, 6);
  });

  it('honours a custom config', () => {
    const cfg = { maxGapMs: 5 * MIN, maxEdgeDistanceM: 100 };
    const near = report({ lat: LAT + north(100), startMs: base.endMs + 5 * MIN, endMs: base.endMs + 6 * MIN });
    expect(linked(base, near, cfg)).toBe(true);
    expect(linked(base, report({ lat: LAT + north(101) }), cfg)).toBe(false);
    expect(linked(base, report({ startMs: base.endMs + 5 * MIN + 1, endMs: base.endMs + 6 * MIN }), cfg)).toBe(false);
    expect(DEFAULT_GROUPING).toEqual({ maxGapMs: 20 * MIN, maxEdgeDistanceM: 1_000, maxSpanMs: 6 * 60 * MIN, maxExtentM: 10_000 });
  });
});

describe('linked: bearing reports link by their wedge, not their bounding circle', () => {
  const observer = { lon: LON, lat: LAT };
  /** A bearing report as the server builds it: centre and radius from `locateFromBearing`, plus the wedge. */
  function bearing(fromDeg: number, toDeg: number, min: number, max: number, at = observer, accuracyM = 0): Linkable {
    const { location, uncertaintyM } = locateFromBearing({ ...at, accuracyM }, { fromDeg, toDeg }, { min, max });
    return report({
      ...location,
      radiusM: uncertaintyM,
      wedge: { observerLon: at.lon, observerLat: at.lat, accuracyM, fromDeg, toDeg, minM: min, maxM: max },
    });
  }
  const east = (m: number): number => north(m) / Math.cos((LAT * Math.PI) / 180);
  const cases: [string, Linkable, Linkable, boolean][] = [
    // From one checkpoint, north-east and south-west: the circles (radius ~5.7 km, centres 10 km
    // apart) overlap, the wedges stay ~2.8 km apart.
    ['two wedges pointing away from each other', bearing(0, 90, 2_000, 8_000), bearing(180, 270, 2_000, 8_000), false],
    ['a wedge and a GPS fix 900 m beyond its far arc', bearing(80, 100, 2_000, 5_000), report({ lon: LON + east(5_900) }), true],
    ['a wedge and a GPS fix 1,100 m beyond its far arc', bearing(80, 100, 2_000, 5_000), report({ lon: LON + east(6_100) }), false],
    ['a GPS fix 1,100 m beyond, with 200 m observer accuracy', bearing(80, 100, 2_000, 5_000, observer, 200), report({ lon: LON + east(6_100) }), true],
    ['a single bearing passing 800 m from a GPS fix', bearing(90, 90, 1_000, 9_000), report({ lon: LON + east(5_000), lat: LAT + north(800) }), true],
    ['a single bearing passing 1.2 km from a GPS fix', bearing(90, 90, 1_000, 9_000), report({ lon: LON + east(5_000), lat: LAT + north(1_200) }), false],
    [
      'two crossing bearings from observers 3 km apart',
      bearing(45, 45, 1_000, 6_000),
      bearing(315, 315, 1_000, 6_000, { lon: LON + east(3_000), lat: LAT }),
      true,
    ],
  ];
  it.each(cases)('%s → %s', (_name, a, b, expected) => {
    expect(linked(a, b)).toBe(expected);
    expect(linked(b, a)).toBe(expected);
  });

  it('the wedges pointing apart would have linked under the old circle rule', () => {
    const [, a, b] = cases[0] ?? [];
    if (!a || !b) throw new Error('missing case');
    expect(edgeDistanceM(a, b)).toBeLessThan(0);
  });
});

describe('linked: the incident limits, pairwise', () => {
  const HOUR = 60 * MIN;
  const cases: [string, Linkable, Linkable, boolean][] = [
    ['together spanning exactly 6 h', report({ endMs: T0 + 5 * HOUR }), report({ startMs: T0 + 5 * HOUR, endMs: T0 + 6 * HOUR }), true],
    ['together spanning 6 h + 1 ms', report({ endMs: T0 + 5 * HOUR }), report({ startMs: T0 + 5 * HOUR, endMs: T0 + 6 * HOUR + 1 }), false],
    ['a night-long report overlapping a short one', report({ endMs: T0 + 10 * HOUR }), report({ startMs: T0 + HOUR, endMs: T0 + HOUR + 5 * MIN }), false],
    // Vague circles that overlap, centres 10 km / 10.1 km apart.
    ['centres exactly 10 km apart', report({ radiusM: 5_000 }), report({ radiusM: 5_000, lat: LAT + north(10_000) }), true],
    ['centres 10.1 km apart', report({ radiusM: 5_000 }), report({ radiusM: 5_000, lat: LAT + north(10_100) }), false],
  ];
  it.each(cases)('%s → %s', (_name, a, b, expected) => {
    expect(linked(a, b)).toBe(expected);
    expect(linked(b, a)).toBe(expected);
  });

  it('has no limits when they are unset', () => {
    const cfg = { maxGapMs: 20 * MIN, maxEdgeDistanceM: 1_000 };
    expect(linked(report({ endMs: T0 + 10 * HOUR }), report({ startMs: T0 + HOUR, endMs: T0 + HOUR + 5 * MIN }), cfg)).toBe(true);
    expect(linked(report({ radiusM: 5_000 }), report({ radiusM: 5_000, lat: LAT + north(10_100) }), cfg)).toBe(true);
  });
});

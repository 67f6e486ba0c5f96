import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import { locateFromBearing, sectorPolygon, sectorVertices } from './sector.js';
import type { BearingSector, DistanceRange, Observer } from './sector.js';

// Same sphere as turf; the model is written out here so the check does not lean on turf.
const R = 6371008.8;
const rad = (d: number): number => (d * Math.PI) / 180;

function gcDistance(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}


// The edges of the input space come up often on purpose: uniform draws would almost never
// stand exactly on a pole or the antimeridian, where the wrapping went wrong.
const EDGE_LONS = [-180, 180, -179.9999999, 179.9999999, 0];
const EDGE_LATS = [-90, 90, -89.9999999, 89.9999999, 0];
const EDGE_BEARINGS = [0, 90, 180, 270, 359.9999];

interface Case {
  seed: number;
  observer: Observer;
  sector: BearingSector;
  range: DistanceRange;
}

function drawCase(seed: number): Case {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const lon = rnd() < 0.4 ? pick(EDGE_LONS) : rnd() * 360 - 180;
  const lat = rnd() < 0.4 ? pick(EDGE_LATS) : rnd() * 180 - 90;
  const fromDeg = rnd() < 0.3 ? pick(EDGE_BEARINGS) : rnd() * 360;
  // Up to the contract's 180°: a third single bearings, as many monitors report them.
  const width = rnd() < 0.3 ? 0 : rnd() * 180;
  const toDeg = (fromDeg + width) % 360;
  // The contract allows 0 < min <= max <= 50 km; min = 0 is the geometry's own degenerate case.
  const max = rnd() < 0.2 ? 50_000 : 1 + rnd() * 49_999;
  const min = rnd() < 0.15 ? 0 : rnd() < 0.2 ? max : rnd() * max;
  const accuracyM = rnd() < 0.5 ? undefined : Math.round(rnd() * 100);
  return { seed, observer: accuracyM === undefined ? { lon, lat } : { lon, lat, accuracyM }, sector: { fromDeg, toDeg }, range: { min, max } };
}

/** Why a position is not a valid GeoJSON WGS84 position, or undefined when it is. */
function invalid([lon, lat]: readonly number[]): string | undefined {
  if (lon === undefined || lat === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) return 'not finite';
  if (lon < -180 || lon >= 180) return `lon ${lon} outside [-180, 180)`;
  if (lat < -90 || lat > 90) return `lat ${lat} outside [-90, 90]`;
  return undefined;
}

function expectValid(position: readonly number[], what: string): void {
  expect(invalid(position), what).toBeUndefined();
}

/**
 * Runs `check` on every case and asserts once at the end. Why: an `expect` per vertex over
 * thousands of cases costs seconds; a list of the failures (with their seeds) says the same.
 */
function expectAll(check: (c: Case, fail: (what: string) => void) => void): void {
  const failures: string[] = [];
  for (const c of CASES) {
    check(c, (what) => {
      if (failures.length < 10) failures.push(`seed ${c.seed} ${JSON.stringify(c)}: ${what}`);
    });
  }
  expect(failures).toEqual([]);
}

const CASES = Array.from({ length: 1000 }, (_, i) => drawCase(0x9e0 + i));

describe('bearing geometry over random observers, bearings and distances', () => {
  it('derives only valid coordinates, at the mid distance from the observer', () => {
    expectAll((c, fail) => {
      const { location, uncertaintyM } = locateFromBearing(c.observer, c.sector, c.range);
      const bad = invalid([location.lon, location.lat]);
      if (bad) fail(`location ${bad}`);
      // Normalising must not move the point: it is still d = (min + max) / 2 from the observer
      // (a centimetre of slack for the 7-decimal rounding).
      const off = Math.abs(gcDistance(c.observer, location) - (c.range.min + c.range.max) / 2);
      if (!(off < 0.02)) fail(`location ${off} m off the mid distance`);
      // The radius still reaches every (normalised) vertex, also when they lie across ±180°.
      for (const v of sectorVertices(c.observer, c.sector, c.range)) {
        const badVertex = invalid(v);
        if (badVertex) fail(`vertex ${badVertex}`);
        const reach = gcDistance(location, { lon: v[0], lat: v[1] });
        if (!(reach <= uncertaintyM + 0.02)) fail(`vertex ${reach} m away, radius ${uncertaintyM} m`);
      }
    });
  });

  it('draws wedges whose every vertex is valid, in closed rings of at least four positions', () => {
    expectAll((c, fail) => {
      const [ring = []] = sectorPolygon(c.observer, c.sector, c.range).coordinates;
      if (ring.length < 4) fail(`ring of ${ring.length}`);
      if (JSON.stringify(ring[ring.length - 1]) !== JSON.stringify(ring[0])) fail('ring not closed');
      for (const v of ring) {
        const bad = invalid(v);
        if (bad) fail(`wedge vertex ${bad}`);
      }
    });
  });

  it('gives the same radius, and the point turned with the observer, wherever the observer stands east-west', () => {
    // Turning the globe about its axis moves nothing relative to the observer, so the antimeridian
    // must not change the radius; the location's longitude moves by the observer's, modulo 360.
    expectAll((c, fail) => {
      if (Math.abs(c.observer.lat) > 89) return; // near the pole turf's bearings are not rotation-invariant
      const here = locateFromBearing(c.observer, c.sector, c.range);
      const atZero = locateFromBearing({ ...c.observer, lon: 0 }, c.sector, c.range);
      if (Math.abs(here.uncertaintyM - atZero.uncertaintyM) > 1) fail(`radius ${here.uncertaintyM} vs ${atZero.uncertaintyM}`);
      const dLon = ((((here.location.lon - atZero.location.lon - c.observer.lon) % 360) + 540) % 360) - 180;
      if (!(Math.abs(dLon) < 1e-6) || !(Math.abs(here.location.lat - atZero.location.lat) < 1e-6)) {
        fail(`${JSON.stringify(here.location)} is not ${JSON.stringify(atZero.location)} turned by ${c.observer.lon}°`);
      }
    });
  });
});

describe('the reports of issue 9', () => {
  it.each([
    ['an observer at the north pole', { lon: 180, lat: 90 }, 90],
    ['an observer on the antimeridian looking east', { lon: 180, lat: 0 }, 90],
    ['an observer on the antimeridian looking west', { lon: -180, lat: 0 }, 270],
    ['an observer at the south pole', { lon: -180, lat: -90 }, 45],
  ])('locates %s at a valid position', (_name, observer, bearing) => {
    const range = { min: 1000, max: 2000 };
    const { location } = locateFromBearing(observer, { fromDeg: bearing, toDeg: bearing }, range);
    expectValid([location.lon, location.lat], 'location');
    expect(gcDistance(observer, location)).toBeCloseTo(1500, 1);
  });

  it('puts the antimeridian case at 179.9865° W, where turf says 180.0135°', () => {
    const { location } = locateFromBearing({ lon: 180, lat: 0 }, { fromDeg: 90, toDeg: 90 }, { min: 1000, max: 2000 });
    expect(location.lon).toBeCloseTo(-179.9865102, 7);
  });

  it('wraps a point that only reaches 180° by rounding to 7 decimals', () => {
    // 8 mm east of 179.9999999° is 179.99999997°: in range, but it rounds to 180.
    const { location } = locateFromBearing({ lon: 179.9999999, lat: 0 }, { fromDeg: 90, toDeg: 90 }, { min: 0.008, max: 0.008 });
    expect(location.lon).toBe(-180);
  });
});

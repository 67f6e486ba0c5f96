import { describe, expect, it } from 'vitest';
import { normalizeLon, normalizePosition } from './normalize-position.js';

describe('normalizeLon', () => {
  it.each([
    [0, 0],
    [-180, -180],
    [180, -180],
    [179.9999999, 179.9999999],
    [180.4496602, -179.5503398],
    [270, -90],
    [-190, 170],
    [540, -180],
    [-540, -180],
    [719, -1],
    [-1e-300, -1e-300],
  ])('maps %d to %d', (lon, expected) => {
    expect(normalizeLon(lon)).toBeCloseTo(expected, 9);
    expect(normalizeLon(lon)).toBeGreaterThanOrEqual(-180);
    expect(normalizeLon(lon)).toBeLessThan(180);
  });

  it('returns values already in range bit-identical', () => {
    for (const lon of [37.1234567, -179.9999999, 0.1 + 0.2, -0.5]) expect(Object.is(normalizeLon(lon), lon)).toBe(true);
  });

  it('never returns 180 for a tiny negative that rounds to a whole turn', () => {
    expect(normalizeLon(-180 - 1e-14)).toBeLessThan(180);
    expect(normalizeLon(180 - 1e-14 + 360)).toBeLessThan(180);
  });
});

describe('normalizePosition', () => {
  it.each([
    ['in range', [37.7, 48.1], [37.7, 48.1]],
    ['east of the antimeridian', [180.0134898, 0], [-179.9865102, 0]],
    ['wrapped at the pole', [270, 89.77], [-90, 89.77]],
    ['at the north pole', [180, 90], [-180, 90]],
    ['at the south pole', [-180, -90], [-180, -90]],
    ['past the north pole', [10, 100], [-170, 80]],
    ['past the south pole', [10, -100], [-170, -80]],
    ['over the pole to the equator', [10, 180], [-170, 0]],
    ['a whole turn north', [10, 360], [10, 0]],
  ] as const)('%s', (_name, input, expected) => {
    const [lon, lat] = normalizePosition(input);
    expect(lon).toBeCloseTo(expected[0], 9);
    expect(lat).toBeCloseTo(expected[1], 9);
  });

  it.each([
    [NaN, 0],
    [0, NaN],
    [Infinity, 0],
    [0, -Infinity],
  ])('rejects [%d, %d] instead of passing it on', (lon, lat) => {
    expect(() => normalizePosition([lon, lat])).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeDeg, sectorCenterDeg, sectorWidthDeg } from './angles.js';

describe('normalizeDeg', () => {
  it.each([
    [0, 0],
    [359.5, 359.5],
    [360, 0],
    [725, 5],
    [-10, 350],
    [-360, 0],
    [-730, 350],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDeg(input)).toBeCloseTo(expected, 12);
  });

  it('leaves canonical values bit-identical and tiny negatives in range', () => {
    expect(normalizeDeg(18.47)).toBe(18.47);
    expect(normalizeDeg(378.47)).toBeCloseTo(18.47, 12);
    expect(normalizeDeg(-1e-15)).toBeLessThan(360);
    expect(normalizeDeg(-1e-15)).toBeGreaterThanOrEqual(0);
  });

  it('never returns -0', () => {
    expect(Object.is(normalizeDeg(-0), 0)).toBe(true);
    expect(Object.is(normalizeDeg(-360), 0)).toBe(true);
  });
});

describe('sector width and centre (clockwise from → to)', () => {
  it.each([
    // from, to, width, centre
    [80, 100, 20, 90],
    [350, 10, 20, 0],
    [10, 350, 340, 180],
    [90, 90, 0, 90],
    [270, 90, 180, 0],
    [90, 270, 180, 180],
    [0, 359, 359, 179.5],
    [359, 0, 1, 359.5],
    [-10, 10, 20, 0],
    [370, 380, 10, 15],
  ])('%s → %s: width %s, centre %s', (from, to, width, centre) => {
    expect(sectorWidthDeg(from, to)).toBeCloseTo(width, 12);
    expect(sectorCenterDeg(from, to)).toBeCloseTo(centre, 12);
  });
});

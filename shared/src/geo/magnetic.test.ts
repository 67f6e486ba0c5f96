import geomagnetism from 'geomagnetism';
import { describe, expect, it } from 'vitest';
import { magneticDeclinationDeg, magneticToTrue } from './magnetic.js';

const KYIV = { lon: 30.52, lat: 50.45 };
const DAY = new Date('2026-01-01T00:00:00Z');

describe('magneticDeclinationDeg', () => {
  it('is about +8.5° (east) at Kyiv on 2026-01-01 (WMM-2025)', () => {
    const d = magneticDeclinationDeg(KYIV, DAY);
    expect(d).toBeGreaterThan(7);
    expect(d).toBeLessThan(10);
  });

  it('passes latitude first to geomagnetism', () => {
    const direct = geomagnetism.model(DAY).point([KYIV.lat, KYIV.lon]).decl;
    const swapped = geomagnetism.model(DAY).point([KYIV.lon, KYIV.lat]).decl;
    expect(magneticDeclinationDeg(KYIV, DAY)).toBe(direct);
    expect(Math.abs(direct - swapped)).toBeGreaterThan(0.5);
  });

  it('is constant within a UTC day (model built at 00:00 UTC)', () => {
    const late = new Date('2026-01-01T23:59:59Z');
    expect(magneticDeclinationDeg(KYIV, late)).toBe(magneticDeclinationDeg(KYIV, DAY));
  });

  it('has the right sign elsewhere: New York is west (≈ −13°), Seattle east (≈ +15°)', () => {
    expect(magneticDeclinationDeg({ lon: -74.0, lat: 40.71 }, DAY)).toBeLessThan(-10);
    expect(magneticDeclinationDeg({ lon: -122.33, lat: 47.61 }, DAY)).toBeGreaterThan(13);
  });

  it('uses the nearest covered day outside the bundled models, and throws for invalid dates', () => {
    const first = magneticDeclinationDeg(KYIV, new Date('2014-12-16T00:00:00Z'));
    const last = magneticDeclinationDeg(KYIV, new Date('2029-11-12T00:00:00Z'));
    expect(magneticDeclinationDeg(KYIV, new Date('2010-01-01T00:00:00Z'))).toBe(first);
    expect(magneticDeclinationDeg(KYIV, new Date('2031-01-01T00:00:00Z'))).toBe(last);
    expect(() => magneticDeclinationDeg(KYIV, new Date('nope'))).toThrow(RangeError);
  });
});

describe('magneticToTrue', () => {
  const decl = magneticDeclinationDeg(KYIV, DAY);
  const expected = (m: number): number => {
    let t = Math.round((m + decl) * 100) / 100;
    while (t >= 360) t -= 360;
    while (t < 0) t += 360;
    return Math.round(t * 100) / 100;
  };

  it.each([
    [80, 100],
    [0, 0],
    [350, 355], // both bounds wrap past 360
    [355, 5], // magnetic sector already crossing north
    [10, 350],
  ])('%s→%s magnetic = bound + declination, wrapped, 0.01°', (fromDeg, toDeg) => {
    const t = magneticToTrue({ fromDeg, toDeg }, KYIV, DAY);
    expect(t).toEqual({ fromDeg: expected(fromDeg), toDeg: expected(toDeg) });
    for (const v of [t.fromDeg, t.toDeg]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(360);
      expect(Math.round(v * 100) / 100).toBe(v);
    }
  });

  it('wraps across 360 (355° magnetic at Kyiv ≈ 3.5° true)', () => {
    const t = magneticToTrue({ fromDeg: 355, toDeg: 355 }, KYIV, DAY);
    expect(t.fromDeg).toBeGreaterThan(2);
    expect(t.fromDeg).toBeLessThan(5);
    expect(t.toDeg).toBe(t.fromDeg);
  });
});

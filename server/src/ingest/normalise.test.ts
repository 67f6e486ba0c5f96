import { describe, expect, it } from 'vitest';
import { getResolution, isValidCell } from 'h3-js';
import { ReportInput, locateFromBearing, magneticDeclinationDeg } from '@truceline/shared';
import { normaliseReport } from './normalise.js';

const RECEIVED = Date.UTC(2026, 5, 1, 12);

function parse(fields: Record<string, unknown>) {
  return ReportInput.parse({
    id: '0192f5a0-1234-7abc-8def-0123456789ab',
    category: 'explosion',
    observedAt: '2026-06-01T11:00:00Z',
    method: 'seen',
    ...fields,
  });
}

describe('normaliseReport', () => {
  it('keeps a direct location and takes its accuracy as the uncertainty', () => {
    const n = normaliseReport(parse({ location: { lon: 37.75, lat: 48.14, accuracyM: 35, source: 'gps' } }), 'u1', RECEIVED);
    expect(n.report.location).toEqual({ lon: 37.75, lat: 48.14, accuracyM: 35, source: 'gps' });
    expect(n.report.locationMethod).toBe('direct');
    expect(n.report.uncertaintyM).toBe(35);
    expect(n.report.receivedAt).toBe('2026-06-01T12:00:00.000Z');
    expect(n.report.status).toBe('pending');
  });

  it('puts a report in a resolution-7 H3 cell with its centre nearby', () => {
    const n = normaliseReport(parse({ location: { lon: 37.75, lat: 48.14 } }), 'u1', RECEIVED);
    expect(isValidCell(n.report.areaId)).toBe(true);
    expect(getResolution(n.report.areaId)).toBe(7);
    expect(Math.abs(n.areaCenter.lat - 48.14)).toBeLessThan(0.03);
  });

  it('locates a true bearing report with the shared geometry', () => {
    const observer = { lon: 37.7, lat: 48.1, accuracyM: 20 };
    const n = normaliseReport(
      parse({ observer, bearing: { fromDeg: 350, toDeg: 10, reference: 'true' }, distanceM: { min: 1000, max: 3000 } }),
      'u1',
      RECEIVED,
    );
    const expected = locateFromBearing(observer, { fromDeg: 350, toDeg: 10 }, { min: 1000, max: 3000 });
    expect(n.report.locationMethod).toBe('bearing');
    expect(n.report.location).toEqual(expected.location);
    expect(n.report.uncertaintyM).toBe(expected.uncertaintyM);
    expect(n.report.bearingTrue).toEqual({ fromDeg: 350, toDeg: 10 });
    // Due north of the observer at 2 km.
    expect(n.report.location.lon).toBeCloseTo(37.7, 6);
    expect(n.report.location.lat).toBeCloseTo(48.1 + 2000 / 111_195, 4);
  });

  it('turns a magnetic bearing into true north for the observer and date, and keeps the input', () => {
    const observer = { lon: 37.7, lat: 48.1 };
    const decl = magneticDeclinationDeg(observer, new Date('2026-06-01T11:00:00Z'));
    const n = normaliseReport(
      parse({ observer, bearing: { fromDeg: 40, toDeg: 60, reference: 'magnetic' }, distanceM: { min: 500, max: 900 } }),
      'u1',
      RECEIVED,
    );
    expect(n.report.bearing).toEqual({ fromDeg: 40, toDeg: 60, reference: 'magnetic' });
    expect(n.report.bearingTrue?.fromDeg).toBeCloseTo(40 + decl, 2);
    expect(n.report.bearingTrue?.toDeg).toBeCloseTo(60 + decl, 2);
  });

  it('prefers a direct location when both are given, and still records the true bearing', () => {
    const n = normaliseReport(
      parse({
        location: { lon: 37.8, lat: 48.2 },
        observer: { lon: 37.7, lat: 48.1 },
        bearing: { fromDeg: 10, toDeg: 10, reference: 'true' },
        distanceM: { min: 100, max: 200 },
      }),
      'u1',
      RECEIVED,
    );
    expect(n.report.locationMethod).toBe('direct');
    expect(n.report.location).toEqual({ lon: 37.8, lat: 48.2 });
    expect(n.report.bearingTrue).toEqual({ fromDeg: 10, toDeg: 10 });
  });

  it('makes the same canonical content for inputs that differ only in key order and offset', () => {
    const a = parse({ observedAt: '2026-06-01T13:00:00+02:00', location: { lat: 48.14, lon: 37.75 } });
    const b = parse({ location: { lon: 37.75, lat: 48.14 }, observedAt: '2026-06-01T11:00:00Z' });
    expect(normaliseReport(a, 'u', RECEIVED).canonicalInput).toBe(normaliseReport(b, 'u', RECEIVED).canonicalInput);
  });
});

describe('normaliseReport: place', () => {
  const placeOf = (p: { lon: number; lat: number }) => ({
    name: 'Here',
    admin1: null,
    countryCode: null,
    distanceM: Math.round(p.lon * 1000),
    bearingDeg: Math.round(p.lat),
    text: `at ${p.lon},${p.lat}`,
  });

  it('names the place of the stored location, the derived one for a bearing report', () => {
    const direct = normaliseReport(parse({ location: { lon: 37.75, lat: 48.14 } }), 'u1', RECEIVED, placeOf);
    expect(direct.report.place?.text).toBe('at 37.75,48.14');
    const bearing = normaliseReport(
      parse({ observer: { lon: 37.7, lat: 48.1 }, bearing: { fromDeg: 90, toDeg: 90, reference: 'true' }, distanceM: { min: 1000, max: 1000 } }),
      'u1',
      RECEIVED,
      placeOf,
    );
    expect(bearing.report.place?.text).toBe(`at ${bearing.report.location.lon},${bearing.report.location.lat}`);
  });

  it('leaves place out without a gazetteer, or when it has no answer', () => {
    expect('place' in normaliseReport(parse({ location: { lon: 37.75, lat: 48.14 } }), 'u1', RECEIVED).report).toBe(false);
    expect('place' in normaliseReport(parse({ location: { lon: 37.75, lat: 48.14 } }), 'u1', RECEIVED, () => undefined).report).toBe(false);
  });
});

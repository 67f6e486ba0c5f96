import { describe, expect, it } from 'vitest';
import { type ReportInput, locateFromBearing } from '@truceline/shared';
import { normaliseReport } from '../ingest/normalise.js';
import { redactReport } from './access.js';
import { coarseUpM, sectorExtentM } from './redacted-uncertainty.js';

/** A bearing report as the server stores it, reporter included. */
function stored(input: Partial<ReportInput>) {
  const report = normaliseReport(
    {
      id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      category: 'explosion',
      observedAt: '2026-01-01T10:00:00Z',
      observer: { lon: 30, lat: 50, accuracyM: 12 },
      bearing: { fromDeg: 40, toDeg: 40, reference: 'true' },
      distanceM: { min: 1500, max: 1500 },
      ...input,
    } as ReportInput,
    'u1',
    Date.parse('2026-01-01T10:01:00Z'),
  ).report;
  return { ...report, seq: 1, status: 'pending' as const, incidentId: null, reporter: { id: 'u1', username: 'alice' } };
}

describe('redacted uncertainty of a bearing report', () => {
  it('does not depend on the observer accuracy, which the stored value equals for a single bearing at one distance', () => {
    const precise = stored({ observer: { lon: 30, lat: 50, accuracyM: 4 } });
    const vague = stored({ observer: { lon: 30, lat: 50, accuracyM: 37.5 } });
    const none = stored({ observer: { lon: 30, lat: 50 } });
    expect([precise.uncertaintyM, vague.uncertaintyM]).toEqual([4, 38]);
    expect(redactReport(precise)).toEqual(redactReport(vague));
    expect(redactReport(precise)).toEqual(redactReport(none));
  });

  it('still covers the sector and the observer: never less than the stored radius, at most one coarse step more', () => {
    for (const [bearing, distanceM, accuracyM] of [
      [{ fromDeg: 350, toDeg: 20 }, { min: 200, max: 3000 }, 8],
      [{ fromDeg: 90, toDeg: 90 }, { min: 500, max: 4000 }, 150],
      [{ fromDeg: 0, toDeg: 180 }, { min: 100, max: 50000 }, 4],
      [{ fromDeg: 40, toDeg: 40 }, { min: 1500, max: 1500 }, 90_000],
    ] as const) {
      const report = stored({ bearing: { ...bearing, reference: 'true' }, distanceM, observer: { lon: 30, lat: 50, accuracyM } });
      const redacted = redactReport(report).uncertaintyM;
      expect(redacted % 10).toBe(0);
      expect(redacted).toBeGreaterThanOrEqual(report.uncertaintyM);
      expect(redacted).toBeLessThanOrEqual(report.uncertaintyM - accuracyM + coarseUpM(accuracyM) + 20 + report.uncertaintyM * 0.01);
    }
  });

  it('tells only the coarse step of the accuracy: a poor fix is not hidden, a fine one not told apart', () => {
    const at = (accuracyM: number) => redactReport(stored({ observer: { lon: 30, lat: 50, accuracyM } })).uncertaintyM;
    expect(new Set([1, 4, 12, 60, 100].map(at)).size).toBe(1);
    expect(at(150)).toBeGreaterThan(at(100));
    expect(at(150)).toBe(at(240));
  });

  it('leaves a direct location as it is: its accuracy is public', () => {
    const direct = stored({ location: { lon: 30, lat: 50, accuracyM: 23 } });
    expect(redactReport(direct).uncertaintyM).toBe(23);
  });
});

describe('sectorExtentM', () => {
  it.each<[string, number, number, number, number]>([
    ['a point', 0, 1000, 1000, 0],
    ['a line along the bearing', 0, 1000, 3000, 1000],
    ['from the observer', 0, 0, 2000, 1000],
  ])('%s', (_why, width, min, max, expected) => {
    expect(sectorExtentM(width, min, max)).toBeCloseTo(expected, 6);
  });

  it('agrees with the spherical computation within a metre at 10 km', () => {
    const spherical = locateFromBearing({ lon: 30, lat: 50 }, { fromDeg: 10, toDeg: 40 }, { min: 8000, max: 12000 }).uncertaintyM;
    expect(Math.abs(sectorExtentM(30, 8000, 12000) - spherical)).toBeLessThan(1.5);
  });
});

describe('coarseUpM', () => {
  it.each([
    [0, 100],
    [100, 100],
    [101, 250],
    [2_400, 2_500],
    [50_001, 100_000],
    [120_000, 200_000],
  ])('%d m → %d m', (metres, expected) => {
    expect(coarseUpM(metres)).toBe(expected);
  });
});

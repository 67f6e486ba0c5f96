import { describe, expect, it } from 'vitest';
import { ReportInput } from './report.js';

const ID = '0192f5a0-1234-7abc-8def-0123456789ab';
const recent = new Date(Date.now() - 3_600_000).toISOString();

function base(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ID,
    category: 'shelling',
    observedAt: recent,
    method: 'heard',
    location: { lon: 37.75, lat: 48.14 },
    ...overrides,
  };
}

const bearingOnly = {
  location: undefined,
  observer: { lon: 37.7, lat: 48.1 },
  bearing: { fromDeg: 350, toDeg: 10, reference: 'true' },
  distanceM: { min: 1000, max: 2000 },
};

function issuePaths(input: unknown): string[] {
  const result = ReportInput.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => i.path.join('.'));
}

describe('ReportInput', () => {
  it('applies defaults and normalises times to UTC and the id to lower case', () => {
    const parsed = ReportInput.parse(base({ id: ID.toUpperCase(), observedAt: '2026-01-01T12:00:00+02:00' }));
    expect(parsed.id).toBe(ID);
    expect(parsed.observedAt).toBe('2026-01-01T10:00:00.000Z');
    expect(parsed.countUnit).toBe('explosions');
    expect(parsed.confidence).toBe('medium');
  });

  it('accepts a bearing report without a direct location, including a sector across north', () => {
    expect(ReportInput.safeParse(base(bearingOnly)).success).toBe(true);
  });

  it('accepts exactly 180° wide sectors, 2000 characters of text and a 24 h window', () => {
    const start = new Date(Date.now() - 48 * 3_600_000);
    const input = base({
      ...bearingOnly,
      bearing: { fromDeg: 90, toDeg: 270, reference: 'magnetic' },
      description: 'é'.repeat(2000),
      observedAt: start.toISOString(),
      observedUntil: new Date(start.getTime() + 24 * 3_600_000).toISOString(),
    });
    expect(issuePaths(input)).toEqual([]);
  });

  it('counts description length in characters, not UTF-16 units', () => {
    expect(issuePaths(base({ description: '🔥'.repeat(2000) }))).toEqual([]);
    expect(issuePaths(base({ description: '🔥'.repeat(2001) }))).toEqual(['description']);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['neither location nor bearing', { location: undefined }, 'location'],
    ['bearing without distance', { ...bearingOnly, distanceM: undefined }, 'distanceM'],
    ['bearing without observer', { ...bearingOnly, observer: undefined }, 'observer'],
    ['longitude over 180', { location: { lon: 180.0001, lat: 0 } }, 'location.lon'],
    ['latitude under -90', { location: { lon: 0, lat: -90.5 } }, 'location.lat'],
    ['NaN coordinate', { location: { lon: Number.NaN, lat: 0 } }, 'location.lon'],
    ['infinite coordinate', { location: { lon: Number.POSITIVE_INFINITY, lat: 0 } }, 'location.lon'],
    ['coordinate as a string', { location: { lon: '37.7', lat: 48 } }, 'location.lon'],
    ['unknown field', { extra: 1 }, ''],
    ['unknown nested field', { location: { lon: 1, lat: 1, alt: 3 } }, 'location'],
    ['unknown category', { category: 'fireworks' }, 'category'],
    ['time without offset', { observedAt: '2026-01-01T10:00:00' }, 'observedAt'],
    ['time in the future', { observedAt: new Date(Date.now() + 6 * 60_000).toISOString() }, 'observedAt'],
    ['time before 2000', { observedAt: '1999-12-31T23:59:59Z' }, 'observedAt'],
    ['window ending before it starts', { observedUntil: new Date(Date.parse(recent) - 1000).toISOString() }, 'observedUntil'],
    ['window over 24 h', { observedAt: '2025-01-01T00:00:00Z', observedUntil: '2025-01-02T00:00:01Z' }, 'observedUntil'],
    ['sector wider than 180°', { ...bearingOnly, bearing: { fromDeg: 0, toDeg: 181, reference: 'true' } }, 'bearing.toDeg'],
    ['bearing of 360°', { ...bearingOnly, bearing: { fromDeg: 360, toDeg: 0, reference: 'true' } }, 'bearing.fromDeg'],
    ['bearing without reference', { ...bearingOnly, bearing: { fromDeg: 1, toDeg: 2 } }, 'bearing.reference'],
    ['distance min over max', { ...bearingOnly, distanceM: { min: 3000, max: 2000 } }, 'distanceM.max'],
    ['distance over 50 km', { ...bearingOnly, distanceM: { min: 1000, max: 50_001 } }, 'distanceM.max'],
    ['distance of 0', { ...bearingOnly, distanceM: { min: 0, max: 10 } }, 'distanceM.min'],
    ['count of 0', { count: 0 }, 'count'],
    ['fractional count', { count: 1.5 }, 'count'],
    ['count over 100000', { count: 100_001 }, 'count'],
    ['negative casualties', { casualties: { killed: -1, injured: 0 } }, 'casualties.killed'],
    ['NUL in description', { description: 'a\u0000b' }, 'description'],
    ['lone surrogate in description', { description: 'a\ud800b' }, 'description'],
    ['not a UUID', { id: 'report-1' }, 'id'],
    ['superseding itself', { supersedes: ID }, 'supersedes'],
  ])('refuses %s', (_why, overrides, path) => {
    expect(issuePaths(base(overrides))).toContain(path);
  });

  it('refuses a __proto__ key that JSON.parse makes an own property', () => {
    const input: unknown = JSON.parse(JSON.stringify(base()).replace(/^\{/, '{"__proto__":{"admin":true},'));
    expect(ReportInput.safeParse(input).success).toBe(false);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses non-objects', () => {
    for (const value of [null, 1, 'report', [], true]) expect(ReportInput.safeParse(value).success).toBe(false);
  });
});

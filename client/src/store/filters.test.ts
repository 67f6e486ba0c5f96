import { describe, expect, it } from 'vitest';
import { createReport } from '../test/fixtures';
import { DEFAULT_FILTERS, filtersToQuery, matchesFilters, type Filters } from './filters';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const f = (patch: Partial<Filters>): Filters => ({ ...DEFAULT_FILTERS, ...patch });

describe('filters', () => {
  it.each([
    ['inside the last hour', '2026-03-01T11:30:00Z', undefined, '1h', true],
    ['before the last hour', '2026-03-01T10:30:00Z', undefined, '1h', false],
    ['a window that overlaps the last hour', '2026-03-01T10:30:00Z', '2026-03-01T11:10:00Z', '1h', true],
    ['anything with "all"', '2001-01-01T00:00:00Z', undefined, 'all', true],
  ] as const)('time: %s', (_name, observedAt, observedUntil, preset, expected) => {
    const r = createReport({ observedAt, ...(observedUntil ? { observedUntil } : {}) });
    expect(matchesFilters(r, f({ preset }), 'u1', NOW)).toBe(expected);
  });

  it('filters by category, status and own reports', () => {
    const mine = createReport({ observedAt: '2026-03-01T11:59:00Z', category: 'explosion', status: 'verified', reporter: { id: 'u1', username: 'me' } });
    expect(matchesFilters(mine, f({ categories: ['explosion'] }), 'u1', NOW)).toBe(true);
    expect(matchesFilters(mine, f({ categories: ['shelling'] }), 'u1', NOW)).toBe(false);
    expect(matchesFilters(mine, f({ statuses: ['pending'] }), 'u1', NOW)).toBe(false);
    expect(matchesFilters(mine, f({ onlyMine: true }), 'u1', NOW)).toBe(true);
    expect(matchesFilters(mine, f({ onlyMine: true }), 'u2', NOW)).toBe(false);
  });

  it('writes the same selection as the export query string', () => {
    const q = filtersToQuery(f({ preset: '1h', categories: ['explosion', 'shelling'], statuses: ['verified'], onlyMine: true }), NOW);
    expect(Object.fromEntries(q)).toEqual({
      since: '2026-03-01T11:00:00.000Z',
      category: 'explosion,shelling',
      status: 'verified',
      reporter: 'me',
    });
  });
});
